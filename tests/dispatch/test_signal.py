"""djanco.dispatch.Signal: Django's connect/send API, weak references, sync and async receivers."""

from __future__ import annotations

import gc
import logging

import pytest

from djanco.dispatch import Signal, receiver


class Sender:
    pass


class Other:
    pass


def test_receivers_get_the_signal_sender_and_arguments_in_connection_order() -> None:
    signal = Signal()
    calls: list[tuple[str, object]] = []

    def first(signal: Signal, sender: type, **kwargs: object) -> str:
        calls.append(("first", kwargs))
        return "one"

    def second(sender: type, **kwargs: object) -> str:
        calls.append(("second", sender))
        return "two"

    signal.connect(first)
    signal.connect(second)

    assert signal.send(Sender, value=1) == [(first, "one"), (second, "two")]
    assert calls == [("first", {"value": 1}), ("second", Sender)]


def test_a_sender_filter_and_has_listeners() -> None:
    signal = Signal()
    seen: list[object] = []

    def on_sender(sender: type, **kwargs: object) -> None:
        seen.append(sender)

    assert not signal.has_listeners()
    signal.connect(on_sender, sender=Sender)

    assert signal.has_listeners(Sender)
    assert not signal.has_listeners(Other)
    signal.send(Other)
    signal.send(Sender)
    assert seen == [Sender]


def test_connecting_twice_or_with_the_same_dispatch_uid_connects_once() -> None:
    signal = Signal()
    calls: list[str] = []

    def on_send(**kwargs: object) -> None:
        calls.append("on_send")

    def other(**kwargs: object) -> None:
        calls.append("other")

    signal.connect(on_send)
    signal.connect(on_send)
    signal.connect(on_send, dispatch_uid="unique")
    signal.connect(other, dispatch_uid="unique")
    signal.send(Sender)

    assert calls == ["on_send", "on_send"]  # once as itself, once under "unique"


def test_disconnect_says_whether_a_receiver_was_connected() -> None:
    signal = Signal()

    def on_send(**kwargs: object) -> None:
        raise AssertionError("disconnected")

    signal.connect(on_send, sender=Sender)
    signal.connect(on_send, dispatch_uid="uid")

    assert not signal.disconnect(on_send)  # connected for Sender, not for every sender
    assert signal.disconnect(on_send, sender=Sender)
    assert signal.disconnect(dispatch_uid="uid")
    assert not signal.disconnect(on_send, sender=Sender)
    assert signal.send(Sender) == []


def test_weak_receivers_go_with_their_function_unless_weak_is_false() -> None:
    signal = Signal()
    calls: list[str] = []
    signal.connect(lambda **kwargs: calls.append("weak"))
    signal.connect(lambda **kwargs: calls.append("strong"), weak=False)
    gc.collect()

    signal.send(Sender)
    assert calls == ["strong"]


def test_bound_methods_are_referenced_weakly_and_disconnect_by_identity() -> None:
    signal = Signal()
    calls: list[str] = []

    class Listener:
        def on_send(self, **kwargs: object) -> None:
            calls.append("called")

    listener = Listener()
    signal.connect(listener.on_send)
    signal.send(Sender)
    assert signal.disconnect(listener.on_send)  # a new bound method object, the same receiver

    signal.connect(listener.on_send)
    del listener
    gc.collect()
    signal.send(Sender)
    assert calls == ["called"]
    assert not signal.has_listeners()


def test_send_propagates_a_receiver_error_and_send_robust_returns_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    signal = Signal()
    error = ValueError("broken receiver")

    def broken(**kwargs: object) -> None:
        raise error

    def fine(**kwargs: object) -> str:
        return "fine"

    signal.connect(broken)
    signal.connect(fine)

    with pytest.raises(ValueError, match="broken receiver"):
        signal.send(Sender)
    with caplog.at_level(logging.ERROR, logger="djanco.dispatch"):
        assert signal.send_robust(Sender) == [(broken, error), (fine, "fine")]
    assert "Error calling" in caplog.text
    assert "broken in Signal.send_robust() (broken receiver)" in caplog.text


async def test_asend_awaits_async_receivers_and_calls_sync_ones() -> None:
    signal = Signal()

    async def async_receiver(**kwargs: object) -> str:
        return "async"

    def sync_receiver(**kwargs: object) -> str:
        return "sync"

    signal.connect(async_receiver)
    signal.connect(sync_receiver)

    assert await signal.asend(Sender) == [(async_receiver, "async"), (sync_receiver, "sync")]


def test_send_runs_async_receivers_to_completion() -> None:
    signal = Signal()
    done: list[str] = []

    async def async_receiver(**kwargs: object) -> str:
        done.append("ran")
        return "async"

    signal.connect(async_receiver)

    assert signal.send(Sender) == [(async_receiver, "async")]
    assert done == ["ran"]


async def test_asend_robust_returns_errors_of_async_receivers() -> None:
    signal = Signal()
    error = KeyError("missing")

    async def broken(**kwargs: object) -> None:
        raise error

    async def fine(**kwargs: object) -> int:
        return 1

    signal.connect(broken)
    signal.connect(fine)

    assert await signal.asend_robust(Sender) == [(broken, error), (fine, 1)]


def test_the_receiver_decorator_connects_to_one_or_several_signals() -> None:
    first, second = Signal(), Signal()
    calls: list[Signal] = []

    @receiver([first, second], sender=Sender)
    def on_either(signal: Signal, **kwargs: object) -> None:
        calls.append(signal)

    @receiver(first, dispatch_uid="only-first")
    def on_first(signal: Signal, **kwargs: object) -> None:
        calls.append(signal)

    first.send(Sender)
    second.send(Sender)
    second.send(Other)

    assert calls == [first, first, second]


def test_a_receiver_must_be_callable() -> None:
    with pytest.raises(TypeError, match="Signal receivers must be callable"):
        Signal().connect("not a function")  # type: ignore[arg-type]
