"""Les contrôles croisés d'une réunion : ce que seule la liste entière montre."""
import copy
from datetime import date
from decimal import Decimal

import pytest

from forms.dossier import Dossier
from instruction.comite.controles import controler
from rules import durable
from rules.jointures import paires_python

JOUR = date(2025, 6, 12)


@pytest.fixture(scope="module")
def entreprise(exemples_par_reference) -> dict:
    return exemples_par_reference["LA-2025-008"]


def _dossier(base: dict, reference: str, **changements) -> Dossier:
    d = copy.deepcopy(base)
    d["reference"] = reference
    for chemin, valeur in changements.items():
        bloc, champ = chemin.split("__")
        d[bloc][champ] = valeur
    return Dossier.model_validate(d)


def _constats(controles, dossiers, controle, jour=JOUR):
    return [c for c in controler(dossiers, jour, paires_python, controles)[0] if c["controle"] == controle]


def test_le_meme_siren_dans_trois_dossiers_fait_un_seul_constat_qui_les_nomme_tous(controles, entreprise):
    dossiers = [_dossier(entreprise, f"E-{k}", projet__titre=f"Projet {k}", budget__montant_sollicite=1000 * k)
                for k in range(1, 4)]
    [constat] = _constats(controles, dossiers, "comite.porteur_en_double")
    assert constat["dossiers"] == ["E-1", "E-2", "E-3"] and "3 dossiers" in constat["message"]
    assert constat["interpretation"] and constat["source"]["reference"] == "Article 4.1"


def test_deux_siret_inconnus_ne_font_pas_le_meme_porteur(controles, entreprise):
    dossiers = [_dossier(entreprise, "E-1", porteur__siret=None), _dossier(entreprise, "E-2", porteur__siret=None)]
    assert _constats(controles, dossiers, "comite.porteur_en_double") == []


def test_le_meme_projet_sous_deux_titres_est_signale(controles, exemples):
    aire = exemples[0]
    dossiers = [_dossier(aire, "A-1"), _dossier(aire, "A-2", projet__titre="Aire camping-car du port"),
                _dossier(aire, "A-3", budget__montant_sollicite=12345)]
    [constat] = _constats(controles, dossiers, "comite.projet_en_double")
    assert constat["dossiers"] == ["A-1", "A-2"] and "différents" in constat["message"]
    assert constat["gravite"] == "alerte"


def test_le_cumul_de_minimis_d_une_entreprise_sur_ses_dossiers_est_compare_au_plafond(controles, entreprise):
    dossiers = [_dossier(entreprise, "E-1", porteur__aides_minimis_3_ans=150000, budget__montant_sollicite=100000),
                _dossier(entreprise, "E-2", porteur__aides_minimis_3_ans=150000, budget__montant_sollicite=80000)]
    [constat] = _constats(controles, dossiers, "comite.minimis_cumul")
    assert "330\u202f000" in constat["message"] and "300\u202f000" in constat["message"]
    assert constat["source"]["document"] == "Règlement (UE) 2023/2831"
    sous_le_plafond = [_dossier(d.model_dump(mode="json"), d.reference, budget__montant_sollicite=10000)
                       for d in dossiers]
    assert _constats(controles, sous_le_plafond, "comite.minimis_cumul") == []


@pytest.mark.parametrize("seconde_demande, alerte", [(50000, False), (50000.01, True)])
def test_un_cumul_de_minimis_egal_au_plafond_est_permis_et_un_centime_de_plus_alerte(controles, entreprise,
                                                                                     seconde_demande, alerte):
    # 200 000 € already received + 50 000 + 50 000 asked: 300 000 €, the ceiling itself, which the
    # regulation allows (« ne peut excéder »).
    dossiers = [_dossier(entreprise, "E-1", porteur__aides_minimis_3_ans=200000, budget__montant_sollicite=50000),
                _dossier(entreprise, "E-2", porteur__aides_minimis_3_ans=200000,
                         budget__montant_sollicite=seconde_demande)]
    constats = _constats(controles, dossiers, "comite.minimis_cumul")
    assert [(c["gravite"], c["dossiers"]) for c in constats] == ([("alerte", ["E-1", "E-2"])] if alerte else [])


def test_avant_2024_le_plafond_de_minimis_est_celui_de_2013(controles, entreprise):
    dossiers = [_dossier(entreprise, "E-1", porteur__aides_minimis_3_ans=150000, budget__montant_sollicite=30000),
                _dossier(entreprise, "E-2", porteur__aides_minimis_3_ans=150000, budget__montant_sollicite=30000)]
    [constat] = _constats(controles, dossiers, "comite.minimis_cumul", date(2023, 6, 1))
    assert "200\u202f000" in constat["message"] and constat["source"]["document"] == "Règlement (UE) n° 1407/2013"


@pytest.mark.parametrize("jour, plafond, document", [
    (date(2023, 12, 31), "200\u202f000", "Règlement (UE) n° 1407/2013"),  # the last day of the 2013 regulation
    (date(2024, 1, 1), "300\u202f000", "Règlement (UE) 2023/2831"),  # the first day of the 2023 one
])
def test_le_plafond_de_minimis_change_exactement_au_premier_janvier_2024(controles, entreprise, jour, plafond,
                                                                         document):
    dossiers = [_dossier(entreprise, f"E-{k}", porteur__aides_minimis_3_ans=300000, budget__montant_sollicite=1)
                for k in (1, 2)]
    [constat] = _constats(controles, dossiers, "comite.minimis_cumul", jour)
    assert f"plafond de {plafond}" in constat["message"] and constat["source"]["document"] == document


def test_des_aides_anterieures_inconnues_ne_valent_pas_zero_en_silence(controles, entreprise):
    dossiers = [_dossier(entreprise, f"E-{k}", porteur__aides_minimis_3_ans=None, budget__montant_sollicite=1000)
                for k in (1, 2)]
    [constat] = _constats(controles, dossiers, "comite.minimis_cumul")
    assert "non déclarées" in constat["message"] and constat["gravite"] == "information"
    au_dessus = [_dossier(entreprise, f"E-{k}", porteur__aides_minimis_3_ans=None, budget__montant_sollicite=200000)
                 for k in (1, 2)]
    [alerte] = _constats(controles, au_dessus, "comite.minimis_cumul")
    assert alerte["gravite"] == "alerte"


def test_le_total_demande_a_chaque_financeur_compte_sollicite_et_acquis_exactement(controles, exemples):
    dossiers = [Dossier.model_validate(d) for d in exemples]
    _, totaux = controler(dossiers, JOUR, paires_python, controles)
    par_financeur = {t["financeur"]: t for t in totaux}
    for statut in ("sollicite", "acquis"):
        attendu = sum(Decimal(str(f["montant"])) for d in exemples for f in d["budget"].get("financements") or ()
                      if f["financeur"] == "departement_62" and f["statut"] == statut)
        assert par_financeur["departement_62"][statut] == attendu, statut
    region = sum(Decimal(str(d["budget"]["montant_sollicite"])) for d in exemples
                 if d["budget"].get("montant_sollicite") is not None)
    region += sum(Decimal(str(f["montant"])) for d in exemples for f in d["budget"].get("financements") or ()
                  if f["financeur"] == "region_hdf" and f["statut"] == "sollicite")
    assert par_financeur["region_hdf"]["sollicite"] == region


@pytest.mark.skipif(not durable.disponible(), reason="durable-rules ne s'importe pas ici : rien à comparer")
def test_le_moteur_de_regles_et_la_reference_python_trouvent_les_memes_controles(territoire, base, controles,
                                                                                  exemples):
    from instruction.evaluation.guichet import Guichet
    moteur = Guichet(base, territoire, moteur="durable")
    dossiers = [Dossier.model_validate(d) for d in exemples]
    dossiers += [Dossier.model_validate({**exemples[0], "reference": "COPIE",
                                         "projet": {**exemples[0]["projet"], "titre": "Autre titre"}})]
    par_durable = controler(dossiers, JOUR, moteur.apparier, controles)
    assert par_durable == controler(dossiers, JOUR, paires_python, controles)
    assert any(c["controle"] == "comite.projet_en_double" for c in par_durable[0])  # something was joined
    # Joined by durable-rules, not by the Python fallback: else the comparison would pass trivially.
    assert moteur.replis_python == 0
