"""Fixtures shared by the enterprises specs."""
import pytest


@pytest.fixture
def roles(enterprise_user, other_enterprise_user, expert_user, secretariat):
    """Every role: None = anonymous, A and B = staff of two verified enterprises, an expert, the secretariat."""
    return {
        "anonymous": None, "A": enterprise_user[0], "B": other_enterprise_user[0],
        "expert": expert_user[0], "secretariat": secretariat,
    }
