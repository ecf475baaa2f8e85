"""``MigrationGraph``: migrations and their dependencies; plans in dependency order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from djanco.db.migrations.exceptions import MigrationError, NodeNotFoundError

if TYPE_CHECKING:
    from djanco.db.migrations.migration import Migration

Key = tuple[str, str]


class MigrationGraph:
    def __init__(self) -> None:
        self.nodes: dict[Key, Migration] = {}
        self.parents: dict[Key, set[Key]] = {}
        self.children: dict[Key, set[Key]] = {}

    def add_node(self, migration: Migration) -> None:
        key = migration.key
        self.nodes[key] = migration
        self.parents.setdefault(key, set())
        self.children.setdefault(key, set())

    def add_dependency(self, child: Key, parent: Key) -> None:
        if parent not in self.nodes:
            raise NodeNotFoundError(
                f"Migration {child[0]}.{child[1]} depends on {parent[0]}.{parent[1]}, "
                f"which does not exist{_known(self, parent[0])}."
            )
        self.parents[child].add(parent)
        self.children[parent].add(child)

    def remove_replaced_nodes(self, replacement: Key, replaced: list[Key]) -> None:
        """Use ``replacement`` (a squashed migration) instead of ``replaced``: edges to and
        from the replaced migrations move to it, and the replaced ones leave the graph."""
        gone = set(replaced)
        for key in replaced:
            if key not in self.nodes:
                continue
            for child in self.children.pop(key):
                self.parents[child].discard(key)
                if child not in gone and child != replacement:
                    self.parents[child].add(replacement)
                    self.children[replacement].add(child)
            for parent in self.parents.pop(key):
                self.children[parent].discard(key)
                if parent not in gone and parent != replacement:
                    self.children[parent].add(replacement)
                    self.parents[replacement].add(parent)
            del self.nodes[key]

    def remove_replacement_node(self, replacement: Key, replaced: list[Key]) -> None:
        """Use the ``replaced`` migrations, not ``replacement``: what depended on it now
        depends on the last replaced migration, and ``replacement`` leaves the graph."""
        last = replaced[-1]
        if last not in self.nodes:
            raise NodeNotFoundError(
                f"Migration {replacement[0]}.{replacement[1]} replaces {last[0]}.{last[1]}, "
                "which is missing, yet the replaced migrations are needed (only some of them "
                "are applied, or one of them was asked for): restore the replaced files."
            )
        for child in self.children.pop(replacement):
            self.parents[child].discard(replacement)
            if child not in replaced:
                self.parents[child].add(last)
                self.children[last].add(child)
        for parent in self.parents.pop(replacement):
            self.children[parent].discard(replacement)
        del self.nodes[replacement]

    def forwards_plan(self, target: Key) -> list[Key]:
        """Every migration ``target`` needs, dependencies first, ending with ``target``."""
        self._check(target)
        return self._walk(target, self.parents)

    def backwards_plan(self, target: Key) -> list[Key]:
        """``target`` and everything depending on it, dependents first."""
        self._check(target)
        return self._walk(target, self.children)

    def _walk(self, target: Key, edges: dict[Key, set[Key]]) -> list[Key]:
        result: list[Key] = []
        seen: set[Key] = set()
        visiting: set[Key] = set()

        def visit(key: Key) -> None:
            if key in seen:
                return
            if key in visiting:
                raise MigrationError(f"Circular dependency at {key[0]}.{key[1]}.")
            visiting.add(key)
            for other in sorted(edges[key]):
                visit(other)
            visiting.discard(key)
            seen.add(key)
            result.append(key)

        visit(target)
        return result

    def leaf_nodes(self, app_label: str | None = None) -> list[Key]:
        """Migrations no migration of the same app depends on."""
        leaves = []
        for key in self.nodes:
            if app_label is not None and key[0] != app_label:
                continue
            if not any(child[0] == key[0] for child in self.children[key]):
                leaves.append(key)
        return sorted(leaves)

    def root_nodes(self, app_label: str) -> list[Key]:
        return sorted(
            key
            for key in self.nodes
            if key[0] == app_label and not any(p[0] == app_label for p in self.parents[key])
        )

    def full_plan(self) -> list[Key]:
        plan: list[Key] = []
        for leaf in self.leaf_nodes():
            for key in self.forwards_plan(leaf):
                if key not in plan:
                    plan.append(key)
        return plan

    def app_labels(self) -> list[str]:
        return sorted({key[0] for key in self.nodes})

    def _check(self, key: Key) -> None:
        if key not in self.nodes:
            raise NodeNotFoundError(f"Unknown migration {key[0]}.{key[1]}{_known(self, key[0])}.")


def _known(graph: MigrationGraph, app_label: str) -> str:
    names = sorted(name for app, name in graph.nodes if app == app_label)
    return f" (known for {app_label}: {', '.join(names)})" if names else ""
