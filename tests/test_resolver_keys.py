"""Issue #14, designer control: `display:`, `clarify:`, `scales:` and `offer_current` on slots and
the project's flows/scales/*.yaml, loaded into the slot and checked with file:line like any flow key.

The resolver itself is tested in tests/test_resolver.py; this file reuses its helpers.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from engine.flows.loader import load_flows
from engine.flows.problems import FlowLoadError
from engine.flows.template import parse_template
from engine.slots.types import choices_for
from test_resolver import FLOWS, HARPER, LAMP, ROOT, answer, clarified, env_for

def _project(tmp_path: Path, slot_extra: str, scales_file: str | None = None) -> Path:
    flows = tmp_path / "flows"
    flows.mkdir()
    text = (ROOT / "flows/exchange_items.yaml").read_text().replace(
        "  new_item_ids:\n    type: variants\n", "  new_item_ids:\n    type: variants\n" + slot_extra)
    (flows / "exchange_items.yaml").write_text(text)
    for name in ("authenticate", "handoff"):
        (flows / f"{name}.yaml").write_text((ROOT / f"flows/{name}.yaml").read_text())
    if scales_file is not None:
        (flows / "scales").mkdir()
        (flows / "scales" / "shop.yaml").write_text(scales_file)
    return flows


def test_display_clarify_and_project_scales_are_loaded(tmp_path, store):
    flows = _project(tmp_path, '    display: "{options} for {money(price)}"\n'
                               '    clarify: "{reason} ({count} to choose from)"\n',
                     "scales:\n  - [A4, A5, A6]\ncomparatives:\n  roomy:\n    options: [size]\n    up: [spacious]\n")
    slot = load_flows(flows, root=tmp_path).flows["exchange_items"].slots["new_item_ids"]
    assert slot.scales.orders[0] == ("A4", "A5", "A6") and slot.scales.comparatives[0].name == "roomy"
    env = env_for(store, "exchange_items", HARPER, order_id="#W1840144", exchange_item_ids=[LAMP])
    env.flow_slots["new_item_ids"] = slot
    assert choices_for(slot, env)[0].title == "white, high, USB for $164.28"
    amb = clarified(answer(store, "exchange_items", "new_item_ids", HARPER, "less bright", slot_def=slot,
                           order_id="#W1840144", exchange_item_ids=[LAMP]))
    assert amb.reason.endswith("(3 to choose from)")


@pytest.mark.parametrize("extra, scales_file, message", [
    ('    display: "{nope}"\n', None, "exchange_items.yaml:23:16: error: display of slot 'new_item_ids' refers to "
                                    "unknown name 'nope'"),
    ('    clarify: "{reason} {nobody}"\n', None, "exchange_items.yaml:23:25: error: clarify of slot 'new_item_ids' "
                                             "refers to unknown name 'nobody'"),
    ("    scales: [[S]]\n", None, "exchange_items.yaml:23:14: error: an ordering in `scales` of slot"),
    ("", "scales:\n  - [low, low]\ncomparatives:\n  size:\n    up: [big]\n    sideways: 1\n",
     "scales/shop.yaml:2:5: error: an ordering in `scales` needs two or more different values"),
    ("", "comparatives:\n  size:\n    up: [big]\n    sideways: 1\n",
     "scales/shop.yaml:4:5: error: unknown key 'sideways' in comparative 'size'"),
])
def test_mistakes_in_the_new_keys_are_reported_with_file_and_line(tmp_path, extra, scales_file, message):
    flows = _project(tmp_path, extra, scales_file)
    with pytest.raises(FlowLoadError) as err:
        load_flows(flows, root=tmp_path)
    assert message in str(err.value)


def test_display_on_a_slot_without_candidates_is_an_error(tmp_path):
    flows = _project(tmp_path, "")
    auth = flows / "authenticate.yaml"
    auth.write_text(auth.read_text().replace("  email:\n    type: email\n",
                                             "  email:\n    type: email\n    display: \"{title}\"\n"))
    with pytest.raises(FlowLoadError) as err:
        load_flows(flows, root=tmp_path)
    line = auth.read_text().splitlines().index("    display: \"{title}\"") + 1  # file:line of the key
    assert f"authenticate.yaml:{line}:5: error: `display` of slot 'email' has no candidates to show" in str(err.value)


def test_offer_current_needs_a_variants_slot(tmp_path):
    flows = _project(tmp_path, "")
    path = flows / "exchange_items.yaml"
    path.write_text(path.read_text().replace("  payment_method_id:\n    type: payment_method\n",
                                             "  payment_method_id:\n    type: payment_method\n"
                                             "    offer_current: true\n"))
    with pytest.raises(FlowLoadError) as err:
        load_flows(flows, root=tmp_path)
    assert "`offer_current` of slot 'payment_method_id' needs a variants slot" in str(err.value)


def test_a_display_template_that_fails_falls_back_to_the_default_title(store):
    slot = dataclasses.replace(FLOWS.flows["return_items"].slots["return_item_ids"],
                               display=parse_template("{name} {price / 0}"))
    offered = choices_for(slot, env_for(store, "return_items", HARPER, order_id="#W1840144"))
    assert offered[0].title.startswith("Desk Lamp (")


