"""The fast SIRET check digit of `forms.dossier` must agree with python-stdnum, which the contract names."""
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.fr import siret as stdnum_siret

from forms.dossier import LA_POSTE, SIEGE_DE_LA_POSTE, cle_siret_valide

quatorze_chiffres = st.text(alphabet="0123456789", min_size=14, max_size=14)
de_la_poste = st.text(alphabet="0123456789", min_size=5, max_size=5).map(lambda fin: LA_POSTE + fin)


@given(st.one_of(quatorze_chiffres, de_la_poste))
@example("73282932000074")  # a real SIRET
@example("73282932000075")  # the same, last digit changed
@example(SIEGE_DE_LA_POSTE)
@example("35600000049837")  # an establishment of La Poste (digit sum a multiple of 5)
def test_la_cle_calculee_ici_est_celle_de_python_stdnum(siret):
    assert cle_siret_valide(siret) == stdnum_siret.is_valid(siret)


def test_les_deux_reglements_de_la_poste_sont_exerces():
    # Without this, the examples above could all fall on one branch and the La Poste rule go untested.
    assert stdnum_siret.is_valid("35600000049837") and not stdnum_siret.is_valid("35600000049838")
