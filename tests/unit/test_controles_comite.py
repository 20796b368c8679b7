"""Les contrôles croisés d'une réunion : ce que seule la liste entière montre."""
import copy
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from forms.dossier import Dossier
from instruction.comite.controles import FICHIER, charger_controles, citations, controler
from instruction.evaluation.territoire import ErreurTerritoire
from rules.jointures import paires_python
from rules.verification import verifier_citations

CONTROLES = charger_controles()

EXEMPLES = json.loads((Path(__file__).resolve().parents[2] / "examples" / "dossiers.json").read_text(encoding="utf-8"))
ENTREPRISE = next(d for d in EXEMPLES if d["reference"] == "LA-2025-008")
JOUR = date(2025, 6, 12)


def _dossier(base: dict, reference: str, **changements) -> Dossier:
    d = copy.deepcopy(base)
    d["reference"] = reference
    for chemin, valeur in changements.items():
        bloc, champ = chemin.split("__")
        d[bloc][champ] = valeur
    return Dossier.model_validate(d)


def _constats(dossiers, jour=JOUR):
    return controler(dossiers, jour, paires_python, CONTROLES)[0]


def test_le_meme_siren_dans_trois_dossiers_fait_un_seul_constat_qui_les_nomme_tous():
    dossiers = [_dossier(ENTREPRISE, f"E-{k}", projet__titre=f"Projet {k}", budget__montant_sollicite=1000 * k)
                for k in range(1, 4)]
    [constat] = [c for c in _constats(dossiers) if c["controle"] == "comite.porteur_en_double"]
    assert constat["dossiers"] == ["E-1", "E-2", "E-3"] and "3 dossiers" in constat["message"]
    assert constat["interpretation"] and constat["source"]["reference"] == "Article 4.1"


def test_deux_siret_inconnus_ne_font_pas_le_meme_porteur():
    dossiers = [_dossier(ENTREPRISE, "E-1", porteur__siret=None), _dossier(ENTREPRISE, "E-2", porteur__siret=None)]
    assert not [c for c in _constats(dossiers) if c["controle"] == "comite.porteur_en_double"]


def test_le_meme_projet_sous_deux_titres_est_signale():
    dossiers = [_dossier(EXEMPLES[0], "A-1"), _dossier(EXEMPLES[0], "A-2", projet__titre="Aire camping-car du port"),
                _dossier(EXEMPLES[0], "A-3", budget__montant_sollicite=12345)]
    [constat] = [c for c in _constats(dossiers) if c["controle"] == "comite.projet_en_double"]
    assert constat["dossiers"] == ["A-1", "A-2"] and "différents" in constat["message"]
    assert constat["gravite"] == "alerte"


def test_le_cumul_de_minimis_d_une_entreprise_sur_ses_dossiers_est_compare_au_plafond():
    dossiers = [_dossier(ENTREPRISE, "E-1", porteur__aides_minimis_3_ans=150000, budget__montant_sollicite=100000),
                _dossier(ENTREPRISE, "E-2", porteur__aides_minimis_3_ans=150000, budget__montant_sollicite=80000)]
    [constat] = [c for c in _constats(dossiers) if c["controle"] == "comite.minimis_cumul"]
    assert "330\u202f000" in constat["message"] and "300\u202f000" in constat["message"]
    assert constat["source"]["document"] == "Règlement (UE) 2023/2831"
    sous_le_plafond = [_dossier(d.model_dump(mode="json"), d.reference, budget__montant_sollicite=10000)
                       for d in dossiers]
    assert not [c for c in _constats(sous_le_plafond) if c["controle"] == "comite.minimis_cumul"]


def test_avant_2024_le_plafond_de_minimis_est_celui_de_2013():
    dossiers = [_dossier(ENTREPRISE, "E-1", porteur__aides_minimis_3_ans=150000, budget__montant_sollicite=30000),
                _dossier(ENTREPRISE, "E-2", porteur__aides_minimis_3_ans=150000, budget__montant_sollicite=30000)]
    [constat] = [c for c in _constats(dossiers, date(2023, 6, 1)) if c["controle"] == "comite.minimis_cumul"]
    assert "200\u202f000" in constat["message"] and constat["source"]["document"] == "Règlement (UE) n° 1407/2013"


def test_des_aides_anterieures_inconnues_ne_valent_pas_zero_en_silence():
    dossiers = [_dossier(ENTREPRISE, f"E-{k}", porteur__aides_minimis_3_ans=None, budget__montant_sollicite=1000)
                for k in (1, 2)]
    [constat] = [c for c in _constats(dossiers) if c["controle"] == "comite.minimis_cumul"]
    assert "non déclarées" in constat["message"] and constat["gravite"] == "information"
    au_dessus = [_dossier(ENTREPRISE, f"E-{k}", porteur__aides_minimis_3_ans=None, budget__montant_sollicite=200000)
                 for k in (1, 2)]
    [alerte] = [c for c in _constats(au_dessus) if c["controle"] == "comite.minimis_cumul"]
    assert alerte["gravite"] == "alerte"


def test_le_total_demande_a_chaque_financeur_compte_sollicite_et_acquis_exactement():
    dossiers = [Dossier.model_validate(d) for d in EXEMPLES]
    _, totaux = controler(dossiers, JOUR, paires_python, CONTROLES)
    par_financeur = {t["financeur"]: t for t in totaux}
    attendu = sum(Decimal(str(f["montant"])) for d in EXEMPLES for f in d["budget"].get("financements") or ()
                  if f["financeur"] == "departement_62" and f["statut"] == "sollicite")
    assert par_financeur["departement_62"]["sollicite"] == attendu
    region = sum(Decimal(str(d["budget"]["montant_sollicite"])) for d in EXEMPLES
                 if d["budget"].get("montant_sollicite") is not None)
    region += sum(Decimal(str(f["montant"])) for d in EXEMPLES for f in d["budget"].get("financements") or ()
                  if f["financeur"] == "region_hdf" and f["statut"] == "sollicite")
    assert par_financeur["region_hdf"]["sollicite"] == region


def test_le_moteur_de_regles_et_la_reference_python_trouvent_les_memes_controles(territoire, base):
    from instruction.evaluation.guichet import Guichet
    moteur = Guichet(base, territoire, moteur="auto")
    dossiers = [Dossier.model_validate(d) for d in EXEMPLES]
    dossiers += [_dossier(EXEMPLES[0], "COPIE", projet__titre="Autre titre")]
    assert controler(dossiers, JOUR, moteur.apparier, CONTROLES) == controler(dossiers, JOUR, paires_python, CONTROLES)


def test_chaque_controle_cite_un_passage_present_dans_son_texte():
    sources = citations(charger_controles())
    assert len(sources) == 4 and verifier_citations(sources) == []


def test_une_citation_de_controle_absente_du_texte_est_detectee():
    [premiere, *_] = citations(charger_controles())
    fausse = replace(premiere, source=replace(premiere.source, extrait="la Région finance tout"))
    assert "extrait absent" in verifier_citations([fausse])[0]


def test_un_fichier_de_controles_faux_est_refuse_en_nommant_le_fichier_et_le_controle(tmp_path):
    faux = tmp_path / "controles.yaml"
    faux.write_text(FICHIER.read_text(encoding="utf-8").replace("gravite: alerte", "gravite: grave", 1),
                    encoding="utf-8")
    with pytest.raises(ErreurTerritoire) as erreur:
        charger_controles(faux)
    assert "controles.yaml" in str(erreur.value) and "comite.projet_en_double" in str(erreur.value)
    assert "grave" in str(erreur.value)
