from types import SimpleNamespace

import pytest

from biodiversitheque.core.links import InvalidToken, SignedLink


def record(pk=7, access_key="secret"):
    return SimpleNamespace(pk=pk, access_key=access_key)


def test_a_link_names_its_record_and_checks_back():
    link = SignedLink("tests.one")
    pk, signature = link.split(link.make(record()))
    assert pk == 7
    assert link.check(record(), signature).pk == 7


@pytest.mark.parametrize("token", ["", "abc-def", "7", "7-", "-deadbeef"])
def test_malformed_tokens_are_refused(token):
    with pytest.raises(InvalidToken) as error:
        SignedLink("tests.one").split(token)
    assert error.value.code == "invalid"


def test_a_new_or_emptied_access_key_kills_the_old_link():
    link = SignedLink("tests.one")
    _pk, signature = link.split(link.make(record()))
    for changed in (record(access_key="other"), record(access_key="")):
        with pytest.raises(InvalidToken):
            link.check(changed, signature)


def test_each_kind_of_record_has_its_own_salt():
    _pk, signature = SignedLink("tests.one").split(SignedLink("tests.one").make(record()))
    with pytest.raises(InvalidToken):
        SignedLink("tests.two").check(record(), signature)
