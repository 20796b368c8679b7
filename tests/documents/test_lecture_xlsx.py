"""Lire les dossiers d'un classeur Excel : les colonnes et les conventions du CSV du contrat."""
import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from api.lecture import FichierIllisible, lire_dossiers
from forms.csv_contrat import COLONNES, dossier_vers_ligne
from forms.validation import SaisieIllisible, valider_dossier

_NOMBRES = {"porteur.aides_minimis_3_ans", "budget.cout_total_ht", "budget.depenses_investissement",
            "budget.montant_sollicite"}
_DATES = {"date_depot", "projet.date_debut_travaux"}
_BOOLEENS = {"projet.transition_ecologique", "projet.diagnostic_environnemental", "projet.accessibilite"}


def _comme_excel(colonne: str, texte: str):
    """La cellule telle qu'Excel la garde quand on tape ce texte : nombre, date, booléen ou texte."""
    if texte == "":
        return None
    if colonne in _NOMBRES:
        return float(texte)  # Excel keeps every number as a float
    if colonne in _DATES:
        return datetime.combine(date.fromisoformat(texte), datetime.min.time())
    if colonne in _BOOLEENS:
        return texte == "true"
    return texte


def _ecrire_xlsx(chemin: Path, entete: list[str], lignes: list[list]) -> Path:
    classeur = openpyxl.Workbook()
    feuille = classeur.active
    feuille.append(entete)
    for ligne in lignes:
        feuille.append(ligne)
    classeur.save(chemin)
    return chemin


def _ecrire_csv(chemin: Path, entete: list[str], lignes: list[dict]) -> Path:
    with open(chemin, "w", encoding="utf-8", newline="") as f:
        ecrivain = csv.DictWriter(f, fieldnames=entete, delimiter=";")
        ecrivain.writeheader()
        ecrivain.writerows(lignes)
    return chemin


def _sans_chemin(exc: pytest.ExceptionInfo, chemin: Path) -> str:
    return str(exc.value).removeprefix(f"{chemin} : ")


def test_un_classeur_se_lit_comme_le_csv_equivalent(exemples, tmp_path):
    lignes = [dossier_vers_ligne(d) for d in exemples]
    par_csv = lire_dossiers(_ecrire_csv(tmp_path / "dossiers.csv", list(COLONNES), lignes))
    xlsx = _ecrire_xlsx(tmp_path / "dossiers.xlsx", list(COLONNES),
                        [[_comme_excel(c, ligne[c]) for c in COLONNES] for ligne in lignes])
    par_xlsx = lire_dossiers(xlsx)
    assert len(par_xlsx) == len(exemples)
    assert par_xlsx == par_csv
    assert all(valider_dossier(d)[1] == [] for d in par_xlsx)


def test_les_cellules_excel_deviennent_le_texte_du_contrat(exemples, tmp_path):
    ligne = dossier_vers_ligne(exemples[2])
    valeurs = {c: _comme_excel(c, ligne[c]) for c in COLONNES}
    valeurs["budget.cout_total_ht"] = 1250.5  # decimals are kept, 420000.0 loses its « .0 »
    valeurs["porteur.siret"] = 84512398300015  # a SIRET typed as a number
    lu = lire_dossiers(_ecrire_xlsx(tmp_path / "d.xlsx", list(COLONNES), [[valeurs[c] for c in COLONNES]]))[0]
    assert lu["budget"]["cout_total_ht"] == 1250.5
    assert lu["budget"]["depenses_investissement"] == 420000.0
    assert lu["porteur"]["siret"] == "84512398300015"
    assert lu["date_depot"] == "2025-06-02"
    assert lu["projet"]["transition_ecologique"] is True
    assert "rayonnement" not in lu["porteur"]  # an empty cell is unknown


def test_une_date_avec_une_heure_est_refusee_par_la_validation(exemples, tmp_path):
    ligne = dossier_vers_ligne(exemples[0])
    valeurs = [_comme_excel(c, ligne[c]) for c in COLONNES]
    valeurs[COLONNES.index("date_depot")] = datetime(2025, 3, 10, 14, 30)
    lu = lire_dossiers(_ecrire_xlsx(tmp_path / "d.xlsx", list(COLONNES), [valeurs]))[0]
    erreurs = valider_dossier(lu)[1]
    assert [e.champ for e in erreurs] == ["date_depot"] and "sans heure" in erreurs[0].message


def test_une_ligne_fautive_est_une_erreur_de_ce_dossier_seulement(exemples, tmp_path):
    lignes = [[_comme_excel(c, dossier_vers_ligne(d)[c]) for c in COLONNES] for d in exemples[:3]]
    lignes[1] = lignes[1] + ["cellule hors en-tête"]
    lignes.insert(2, [None] * len(COLONNES))  # a blank row in the middle is skipped, as in a CSV
    lus = lire_dossiers(_ecrire_xlsx(tmp_path / "d.xlsx", list(COLONNES), lignes))
    assert len(lus) == 3
    assert isinstance(lus[1], SaisieIllisible)
    assert lus[1].champ == "ligne 3" and lus[1].reference == exemples[1]["reference"]
    assert lus[0]["reference"] == exemples[0]["reference"] and lus[2]["reference"] == exemples[2]["reference"]
    erreurs = valider_dossier(lus[1])[1]
    assert erreurs[0].champ == "ligne 3" and "hors des colonnes" in erreurs[0].message


def test_une_colonne_manquante_donne_la_meme_erreur_que_le_csv(exemples, tmp_path):
    entete = [c for c in COLONNES if c != "projet.labels"]
    ligne = {c: v for c, v in dossier_vers_ligne(exemples[0]).items() if c in entete}
    csv_ = _ecrire_csv(tmp_path / "d.csv", entete, [ligne])
    xlsx = _ecrire_xlsx(tmp_path / "d.xlsx", entete, [[ligne[c] for c in entete]])
    with pytest.raises(FichierIllisible) as par_csv:
        lire_dossiers(csv_)
    with pytest.raises(FichierIllisible) as par_xlsx:
        lire_dossiers(xlsx)
    assert _sans_chemin(par_xlsx, xlsx) == _sans_chemin(par_csv, csv_) == "colonnes manquantes : projet.labels"


def test_une_colonne_sans_nom_au_milieu_de_l_en_tete_est_nommee(tmp_path):
    entete = list(COLONNES[:3]) + [None] + list(COLONNES[3:])
    with pytest.raises(FichierIllisible, match=r"colonnes inconnues du contrat : \(colonne D sans nom\)$"):
        lire_dossiers(_ecrire_xlsx(tmp_path / "d.xlsx", entete, []))


@pytest.mark.parametrize("contenu, raison", [
    (b"ceci n'est pas un classeur", "classeur Excel illisible"),
    (b"PK\x03\x04" + b"\x00" * 64, "classeur Excel illisible"),  # a zip header, and nothing of a workbook
    (b"", "fichier vide"),
])
def test_un_classeur_abime_ou_vide_est_un_fichier_illisible(contenu, raison, tmp_path):
    chemin = tmp_path / "abime.xlsx"
    chemin.write_bytes(contenu)
    with pytest.raises(FichierIllisible) as exc:
        lire_dossiers(chemin)
    message = str(exc.value)
    assert message.startswith(f"{chemin} : {raison}") and "\n" not in message


def test_un_classeur_tronque_est_un_fichier_illisible(exemples, tmp_path):
    complet = _ecrire_xlsx(tmp_path / "complet.xlsx", list(COLONNES),
                           [[_comme_excel(c, dossier_vers_ligne(d)[c]) for c in COLONNES] for d in exemples])
    tronque = tmp_path / "tronque.xlsx"
    tronque.write_bytes(complet.read_bytes()[: complet.stat().st_size // 2])
    with pytest.raises(FichierIllisible, match="classeur Excel illisible"):
        lire_dossiers(tronque)


def test_une_premiere_feuille_vide_est_signalee(tmp_path):
    chemin = _ecrire_xlsx(tmp_path / "vide.xlsx", [], [])
    with pytest.raises(FichierIllisible, match="la première feuille du classeur est vide$"):
        lire_dossiers(chemin)


def test_l_ancien_format_xls_est_refuse_avec_un_conseil(tmp_path):
    chemin = tmp_path / "ancien.xls"
    chemin.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(FichierIllisible, match=r"enregistrez le classeur au format \.xlsx ou CSV"):
        lire_dossiers(chemin)


def _lire_codes(exemples, tmp_path, commune, siret) -> dict:
    ligne = dossier_vers_ligne(exemples[0])
    valeurs = {c: _comme_excel(c, ligne[c]) for c in COLONNES}
    valeurs["projet.commune_insee"], valeurs["porteur.siret"] = commune, siret
    return lire_dossiers(_ecrire_xlsx(tmp_path / "d.xlsx", list(COLONNES), [[valeurs[c] for c in COLONNES]]))[0]


@pytest.mark.parametrize("commune", [2691, 2691.0])
def test_un_code_insee_tape_comme_un_nombre_retrouve_son_zero(exemples, tmp_path, commune):
    # 02691 typed in Excel becomes the number 2691: the Aisne commune must not turn into « 2691 ».
    lu = _lire_codes(exemples, tmp_path, commune, None)
    assert lu["projet"]["commune_insee"] == "02691"
    assert "projet.commune_insee" not in {e.champ for e in valider_dossier(lu)[1]}


@pytest.mark.parametrize("siret", [542002100007, 542002100007.0])
def test_un_siret_tape_comme_un_nombre_retrouve_ses_14_chiffres(exemples, tmp_path, siret):
    # 00542002100007 (a SIREN beginning with 00): Excel keeps 542002100007, twelve digits.
    lu = _lire_codes(exemples, tmp_path, None, siret)
    assert lu["porteur"]["siret"] == "00542002100007"
    assert "porteur.siret" not in {e.champ for e in valider_dossier(lu)[1]}


@pytest.mark.parametrize("commune, siret, commune_lue, siret_lu", [
    (123456, 123456789012345, "123456", "123456789012345"),  # too long: not cut, refused by validation
    (2691.5, 845123.25, "2691.5", "845123.25"),  # not a whole number
    (-2691, -84512398300015, "-2691", "-84512398300015"),
    (0, 0, "0", "0"),
])
def test_un_code_qui_ne_tient_pas_n_est_pas_complete(exemples, tmp_path, commune, siret, commune_lue, siret_lu):
    lu = _lire_codes(exemples, tmp_path, commune, siret)
    assert lu["projet"]["commune_insee"] == commune_lue and lu["porteur"]["siret"] == siret_lu
    assert {"projet.commune_insee", "porteur.siret"} <= {e.champ for e in valider_dossier(lu)[1]}


def test_seules_les_colonnes_de_codes_sont_completees(exemples, tmp_path):
    ligne = dossier_vers_ligne(exemples[0])
    valeurs = {c: _comme_excel(c, ligne[c]) for c in COLONNES}
    valeurs["budget.cout_total_ht"] = 2691
    lu = lire_dossiers(_ecrire_xlsx(tmp_path / "d.xlsx", list(COLONNES), [[valeurs[c] for c in COLONNES]]))[0]
    assert lu["budget"]["cout_total_ht"] == 2691
