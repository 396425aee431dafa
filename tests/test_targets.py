"""Touch-target geometry: sizes and gaps in millimetres (the widget walk is covered by the UI tests)."""
from kiosk.diagnostics.targets import Target, problems

MM = 132 / 25.4  # the official 7-inch display


def box(name, x_mm, y_mm, w_mm, h_mm, primary=False):
    return Target(name, x_mm * MM, y_mm * MM, w_mm * MM, h_mm * MM, primary)


def test_targets_of_15_mm_and_main_actions_of_20_mm_pass():
    assert problems([box("key", 0, 0, 15, 15), box("call", 40, 0, 30, 20, primary=True)], MM) == []


def test_a_small_target_and_a_small_main_action_are_named_with_their_size():
    found = problems([box("key", 0, 0, 15, 12), box("call", 40, 0, 30, 18, primary=True)], MM)
    assert found == ["key: 12.0 mm, needs 15 mm", "call: 18.0 mm, needs 20 mm"]


def test_targets_closer_than_3_mm_are_named_and_nested_ones_are_not():
    close = problems([box("a", 0, 0, 20, 20), box("b", 22, 0, 20, 20)], MM)
    assert close == ["a and b: 2.0 mm apart, need 3 mm"]
    assert problems([box("a", 0, 0, 20, 20), box("b", 23, 0, 20, 20)], MM) == []
    assert problems([box("card", 0, 0, 60, 30), box("inner", 5, 5, 20, 20)], MM) == []


def test_diagonal_neighbours_are_measured_corner_to_corner():
    assert problems([box("a", 0, 0, 20, 20), box("b", 22.2, 22.2, 20, 20)], MM) == []  # 3.1 mm diagonally
    assert problems([box("a", 0, 0, 20, 20), box("b", 21.5, 21.5, 20, 20)], MM) != []  # 2.1 mm
