"""L'avis tiré des statuts (README, « Du dossier à l'avis », 6) : chaque ligne de la règle, et la réserve."""
import pytest

from forms.valeurs import FINANCEURS
from instruction.evaluation.assemblage import avis_de, orientation_de

FERMES = dict.fromkeys(FINANCEURS, "non_concerne")


def _statuts(**statuts: str) -> dict[str, str]:
    return {**FERMES, **statuts}


@pytest.mark.parametrize("statuts, reserve, accompagnement, avis", [
    (_statuts(region_hdf="prioritaire"), False, (), "favorable"),
    (_statuts(region_hdf="eligible"), False, (), "favorable"),
    (_statuts(region_hdf="eligible"), True, (), "favorable_sous_reserve"),
    (_statuts(region_hdf="prioritaire"), True, ("office_de_tourisme",), "favorable_sous_reserve"),
    (_statuts(region_hdf="a_completer", leader="eligible"), False, (), "incomplet"),
    (_statuts(region_hdf="exclu", leader="a_completer"), False, (), "a_reorienter"),  # another route still open
    (_statuts(region_hdf="non_concerne", epci="eligible"), True, (), "a_reorienter"),
    # The Région closed and every funder too: an engineering support left open is still a route.
    (_statuts(region_hdf="exclu"), False, ("pas_de_calais_tourisme",), "a_reorienter"),
    (_statuts(region_hdf="exclu"), False, (), "defavorable"),
    (_statuts(region_hdf="non_concerne", leader="exclu"), True, (), "defavorable"),
])
def test_l_avis_suit_le_statut_de_la_region_puis_les_autres_voies(statuts, reserve, accompagnement, avis):
    assert avis_de(statuts, reserve, accompagnement) == avis


def test_l_orientation_range_les_voies_ouvertes_par_rang_puis_dans_l_ordre_du_contrat():
    statuts = _statuts(leader="prioritaire", region_hdf="a_completer", departement_62="eligible",
                       region_prit="prioritaire", epci="exclu")
    assert orientation_de(statuts) == ["region_prit", "leader", "departement_62", "region_hdf"]
