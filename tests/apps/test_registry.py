"""The app registry: resolving INSTALLED_APPS, loading models, ready(), lookups, errors."""

from __future__ import annotations

import pytest

from djanco.apps import AppConfig, AppRegistryNotReady, Apps
from djanco.core.exceptions import ImproperlyConfigured
from tests.conf.modules import ModuleWriter

EVENTS: list[str] = []


@pytest.fixture(autouse=True)
def _clear_events() -> None:
    EVENTS.clear()


def recording_app(modules: ModuleWriter, name: str, *, models: bool = True) -> None:
    """App ``name`` whose models import and ready() call are recorded in EVENTS."""
    modules.write(
        f"{name.replace('.', '/')}/apps.py",
        f"""
        from djanco.apps import AppConfig
        from tests.apps.test_registry import EVENTS

        class Config(AppConfig):
            name = {name!r}

            def ready(self) -> None:
                EVENTS.append("ready " + self.label)
        """,
    )
    if models:
        modules.write(
            f"{name.replace('.', '/')}/models.py",
            f"from tests.apps.test_registry import EVENTS\nEVENTS.append('models {name}')\n",
        )


def test_plain_package_gets_a_default_config(modules: ModuleWriter) -> None:
    modules.write("shop/catalog/__init__.py")
    registry = Apps()
    registry.populate(["shop.catalog"])
    config = registry.get_app_config("catalog")
    assert type(config) is AppConfig
    assert (config.name, config.label) == ("shop.catalog", "catalog")
    assert config.verbose_name == "Catalog"
    assert config.path == modules.root / "shop" / "catalog"
    assert config.models_module is None
    assert config.module.__name__ == "shop.catalog"


def test_single_config_class_in_apps_py_is_used(modules: ModuleWriter) -> None:
    modules.write(
        "blog/apps.py",
        """
        from djanco.apps import AppConfig

        class BlogConfig(AppConfig):
            name = "blog"
            label = "weblog"
            verbose_name = "The blog"
        """,
    )
    registry = Apps()
    registry.populate(["blog"])
    config = registry.get_app_config("weblog")
    assert type(config).__name__ == "BlogConfig"
    assert config.verbose_name == "The blog"


def test_config_without_name_found_through_its_module_takes_the_module_path(
    modules: ModuleWriter,
) -> None:
    modules.write("blog/apps.py", "from djanco.apps import AppConfig\nclass C(AppConfig): ...\n")
    registry = Apps()
    registry.populate(["blog"])
    assert registry.get_app_config("blog").name == "blog"


def test_default_marks_one_of_several_configs(modules: ModuleWriter) -> None:
    modules.write(
        "blog/apps.py",
        """
        from djanco.apps import AppConfig

        class Plain(AppConfig):
            name = "blog"

        class Chosen(AppConfig):
            name = "blog"
            default = True
        """,
    )
    registry = Apps()
    registry.populate(["blog"])
    assert type(registry.get_app_config("blog")).__name__ == "Chosen"


def test_several_configs_without_a_default_fall_back_to_a_plain_config(
    modules: ModuleWriter,
) -> None:
    modules.write(
        "blog/apps.py",
        """
        from djanco.apps import AppConfig

        class One(AppConfig):
            name = "blog"

        class Two(AppConfig):
            name = "blog"
        """,
    )
    registry = Apps()
    registry.populate(["blog"])
    assert type(registry.get_app_config("blog")) is AppConfig


def test_several_defaults_are_an_error(modules: ModuleWriter) -> None:
    modules.write(
        "blog/apps.py",
        """
        from djanco.apps import AppConfig

        class One(AppConfig):
            default = True

        class Two(AppConfig):
            default = True
        """,
    )
    with pytest.raises(ImproperlyConfigured, match=r"blog\.apps marks several AppConfig classes"):
        Apps().populate(["blog"])


def test_dotted_path_to_a_config_class_and_the_class_itself(modules: ModuleWriter) -> None:
    modules.write(
        "blog/apps.py",
        """
        from djanco.apps import AppConfig

        class Other(AppConfig):
            name = "blog"
            label = "other_blog"
        """,
    )
    modules.write("pages/__init__.py")

    class PagesConfig(AppConfig):
        name = "pages"

    registry = Apps()
    registry.populate(["blog.apps.Other", PagesConfig])
    assert [c.label for c in registry.get_app_configs()] == ["other_blog", "pages"]
    assert isinstance(registry.get_app_config("pages"), PagesConfig)


def test_missing_app_module_is_named(modules: ModuleWriter) -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        Apps().populate(["nosuchappxyz"])
    assert str(info.value) == (
        "Cannot import 'nosuchappxyz' listed in INSTALLED_APPS: no module named 'nosuchappxyz'."
    )


def test_misspelt_app_suggests_the_closest_module(modules: ModuleWriter) -> None:
    modules.write("blog/__init__.py", "")
    with pytest.raises(ImproperlyConfigured) as info:
        Apps().populate(["blogg"])
    assert str(info.value) == (
        "Cannot import 'blogg' listed in INSTALLED_APPS: no module named 'blogg'. "
        "Did you mean 'blog'?"
    )
    modules.write("blog/comments/__init__.py", "")
    with pytest.raises(ImproperlyConfigured, match=r"Did you mean 'blog\.comments'\?$"):
        Apps().populate(["blog.coments"])


def test_dotted_path_to_something_that_is_not_a_config(modules: ModuleWriter) -> None:
    modules.write("blog/__init__.py", "helper = 1\n")
    with pytest.raises(ImproperlyConfigured) as info:
        Apps().populate(["blog.helper"])
    assert str(info.value) == (
        "INSTALLED_APPS entry 'blog.helper': blog has no module or AppConfig subclass named "
        "'helper'."
    )


def test_a_class_that_is_not_an_app_config_is_refused() -> None:
    # Settings accept any class (they sit below the app registry); the registry checks it.
    class NotAConfig:
        pass

    with pytest.raises(ImproperlyConfigured) as info:
        Apps().populate([NotAConfig])
    assert str(info.value) == (
        f"INSTALLED_APPS entry {NotAConfig!r} is neither a dotted path nor an AppConfig subclass."
    )


def test_config_class_without_name_or_with_a_wrong_one(modules: ModuleWriter) -> None:
    class Nameless(AppConfig):
        pass

    class Wrong(AppConfig):
        name = "no_such_app"

    with pytest.raises(ImproperlyConfigured, match=r"Nameless must set `name`"):
        Apps().populate([Nameless])
    with pytest.raises(ImproperlyConfigured) as info:
        Apps().populate([Wrong])
    assert str(info.value).startswith("Cannot import 'no_such_app', the `name` of ")


def test_import_errors_inside_an_app_are_not_masked(modules: ModuleWriter) -> None:
    modules.write("blog/__init__.py", "import not_installed_dependency\n")
    with pytest.raises(ModuleNotFoundError, match="not_installed_dependency"):
        Apps().populate(["blog"])


def test_duplicate_labels_name_both_apps(modules: ModuleWriter) -> None:
    modules.write("blog/__init__.py")
    modules.write("news/blog/__init__.py")
    with pytest.raises(ImproperlyConfigured) as info:
        Apps().populate(["blog", "news.blog"])
    assert str(info.value) == (
        "Duplicate app label 'blog': 'blog' and 'news.blog' both use it. "
        "Set a different `label` on one of their AppConfig classes."
    )


def test_an_app_listed_twice_is_an_error(modules: ModuleWriter) -> None:
    modules.write("blog/__init__.py")
    with pytest.raises(ImproperlyConfigured, match=r"^App 'blog' is listed more than once"):
        Apps().populate(["blog", "blog"])


def test_label_must_be_an_identifier(modules: ModuleWriter) -> None:
    modules.write("blog/__init__.py")

    class Config(AppConfig):
        name = "blog"
        label = "my-blog"

    with pytest.raises(ImproperlyConfigured, match=r"label 'my-blog' of 'blog' is not a valid"):
        Apps().populate([Config])


def test_models_are_imported_for_every_app_before_any_ready(modules: ModuleWriter) -> None:
    recording_app(modules, "alpha")
    recording_app(modules, "beta", models=False)
    recording_app(modules, "gamma")
    registry = Apps()
    registry.populate(["alpha", "beta", "gamma"])
    assert EVENTS == ["models alpha", "models gamma", "ready alpha", "ready beta", "ready gamma"]
    assert registry.ready
    assert registry.get_app_config("alpha").models_module is not None
    assert registry.get_app_config("beta").models_module is None


def test_populate_runs_once_and_reset_allows_another(modules: ModuleWriter) -> None:
    recording_app(modules, "alpha", models=False)
    registry = Apps()
    registry.populate(["alpha"])
    registry.populate(["alpha"])
    assert EVENTS == ["ready alpha"]
    registry.reset()
    assert not registry.ready
    registry.populate([])
    assert registry.get_app_configs() == []


def test_failed_populate_can_be_retried_and_fails_the_same_way(modules: ModuleWriter) -> None:
    modules.write("alpha/__init__.py")
    modules.write("alpha/models.py", "raise RuntimeError('broken model module')\n")
    registry = Apps()
    for _ in range(2):
        with pytest.raises(RuntimeError, match="broken model module"):
            registry.populate(["alpha"])
        assert not registry.ready
        with pytest.raises(AppRegistryNotReady):
            registry.get_app_configs()


def test_ready_hooks_may_read_the_registry(modules: ModuleWriter) -> None:
    modules.write("alpha/__init__.py")
    registry = Apps()
    seen: list[str] = []

    class Config(AppConfig):
        name = "alpha"

        def ready(self) -> None:
            seen.extend(config.label for config in registry.get_app_configs())

    registry.populate([Config])
    assert seen == ["alpha"]


def test_lookups(modules: ModuleWriter) -> None:
    modules.write("alpha/__init__.py")
    modules.write("shop/catalog/__init__.py")
    registry = Apps()
    registry.populate(["alpha", "shop.catalog"])
    assert registry.is_installed("shop.catalog")
    assert not registry.is_installed("catalog")
    with pytest.raises(LookupError) as info:
        registry.get_app_config("catalogue")
    assert str(info.value) == (
        "No installed app with label 'catalogue'. Did you mean 'catalog'? "
        "Installed labels: alpha, catalog."
    )
    containing = registry.get_containing_app_config("shop.catalog.models.product")
    assert containing is registry.get_app_config("catalog")
    assert registry.get_containing_app_config("shop.catalogue") is None


def test_using_the_registry_before_setup_says_what_to_do() -> None:
    with pytest.raises(AppRegistryNotReady, match=r"call djanco\.setup\(\) first"):
        Apps().get_app_config("blog")


def test_app_folders_exist_or_are_none(modules: ModuleWriter) -> None:
    modules.write("alpha/templates/alpha/page.html")
    modules.write("alpha/commands/hello.py")
    registry = Apps()
    registry.populate(["alpha"])
    config = registry.get_app_config("alpha")
    assert config.templates_dir == modules.root / "alpha" / "templates"
    assert config.commands_dir == modules.root / "alpha" / "commands"
    assert config.static_dir is None


def test_import_submodule(modules: ModuleWriter) -> None:
    modules.write("alpha/admin.py", "registered = True\n")
    modules.write("alpha/broken.py", "import not_installed_dependency\n")
    registry = Apps()
    registry.populate(["alpha"])
    config = registry.get_app_config("alpha")
    admin = config.import_submodule("admin")
    assert admin is not None and admin.registered is True
    assert config.import_submodule("nothing_here") is None
    with pytest.raises(ModuleNotFoundError, match="not_installed_dependency"):
        config.import_submodule("broken")
