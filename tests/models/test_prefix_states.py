"""The policy that decides which KV states to keep and which to restore (no model needed)."""

from __future__ import annotations

from service.models.prefix_states import MIN_GAIN_TOKENS, MIN_SAVE_TOKENS, PrefixStates, common_prefix

CONVERSATION = list(range(200))
DETOUR = CONVERSATION[:20] + [999] * 60


def test_common_prefix():
    assert common_prefix([1, 2, 3], [1, 2, 4]) == 2
    assert common_prefix([], [1]) == 0
    assert common_prefix([1, 2], [1, 2, 3]) == 2


def test_a_state_about_to_be_overwritten_is_saved_once():
    states = PrefixStates()
    assert states.should_save(CONVERSATION, DETOUR)
    states.add(CONVERSATION, "kv", 100)
    assert not states.should_save(CONVERSATION, DETOUR), "already saved"
    assert not states.should_save(CONVERSATION[:150], DETOUR), "a saved state covers it"


def test_a_prompt_that_extends_the_live_state_saves_nothing():
    assert not PrefixStates().should_save(CONVERSATION, CONVERSATION + [5, 6, 7])


def test_short_states_are_not_worth_saving():
    short = list(range(MIN_SAVE_TOKENS - 1))
    assert not PrefixStates().should_save(short, [999])
    assert not PrefixStates(max_states=0).should_save(CONVERSATION, DETOUR)


def test_best_is_the_longest_shared_prefix():
    states = PrefixStates()
    states.add(CONVERSATION, "conversation", 100)
    states.add(DETOUR, "detour", 100)
    state, length = states.best(CONVERSATION + [1, 2])
    assert state.payload == "conversation" and length == len(CONVERSATION)
    state, length = states.best(DETOUR[:30] + [7])
    assert state.payload == "detour" and length == 30


def test_restore_only_when_it_gains_enough():
    states = PrefixStates()
    assert states.should_restore(10, 10 + MIN_GAIN_TOKENS)
    assert not states.should_restore(10, 10 + MIN_GAIN_TOKENS - 1)


def test_a_longer_state_replaces_its_prefix():
    states = PrefixStates()
    states.add(CONVERSATION[:100], "short", 100)
    states.add(CONVERSATION, "long", 200)
    assert len(states) == 1 and states.best(CONVERSATION)[0].payload == "long"


def test_least_recently_used_goes_first_within_count_and_bytes():
    states = PrefixStates(max_states=2, max_bytes=1000)
    for i in range(3):
        states.add([i] * 60, f"s{i}", 100)
    assert len(states) == 2 and states.best([0] * 60)[0] is None
    states.add([7] * 60, "big", 950)
    assert len(states) == 1 and states.nbytes == 950
