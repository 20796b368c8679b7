"""Le rapport du comité technique : HTML, PDF, classeur XLSX et CSV pour Excel."""
import codecs
import copy
import csv
import re
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest
from markupsafe import escape

from api.rendu import documents, exports
from tests.documents.conftest import lisible

FEUILLES = ["Synthèse", "Ordre du jour", "Contrôles", "Totaux par financeur", "Décisions"]


def _compact(texte: str) -> str:
    return "".join(texte.split())


def _nombre_csv(texte: str) -> float:
    return float(texte.replace(",", "."))


def test_le_html_du_rapport_contient_chaque_dossier_les_membres_et_les_controles(rapport_vm):
    html = lisible(documents.rapport_html(rapport_vm))
    assert len(rapport_vm["lignes"]) == 13
    for ligne in rapport_vm["lignes"]:
        # The summary table once, and the decision record once per decision (an empty row when none).
        decisions = sum(1 for d in ligne["decisions"].values() if d)
        assert html.count(f"<td>{ligne['reference']}</td>") == 1 + max(1, decisions), ligne["reference"]
        assert f"<strong>{ligne['reference']}</strong>" in html  # agenda
    for membre in rapport_vm["comite"]["membres"]:
        assert f"<td>{escape(membre['structure'])}</td>" in html
    assert "art. 5.2" in html
    assert rapport_vm["controles"]
    for controle in rapport_vm["controles"]:
        assert lisible(escape(controle["message"])) in html and lisible(escape(controle["titre"])) in html


def test_les_alertes_passent_avant_les_informations(rapport_vm):
    # The view model orders them (the document only presents): check both, the order and its rendering.
    gravites = [c["gravite"] for c in rapport_vm["controles"]]
    assert "alerte" in gravites and "information" in gravites
    assert gravites == sorted(gravites, key=lambda g: g != "alerte")
    html = lisible(documents.rapport_html(rapport_vm))
    positions = [html.index(lisible(escape(c["message"]))) for c in rapport_vm["controles"]]
    assert positions == sorted(positions)


def test_un_avis_corrige_est_marque_dans_le_tableau_de_synthese(rapport_vm):
    html = lisible(documents.rapport_html(rapport_vm))
    corrige = next(x for x in rapport_vm["lignes"] if x["avis_corrige"])
    ligne = next(b for b in html.split("<tr") if f"<td>{corrige['reference']}</td><td>" in b)
    assert corrige["avis_libelle"] in ligne and '<span class="marque">corrigé</span>' in ligne
    assert "calcul : Favorable" in ligne
    autre = next(b for b in html.split("<tr") if f"<td>{rapport_vm['lignes'][1]['reference']}</td><td>" in b)
    assert "corrigé" not in autre


def test_le_releve_garde_une_ligne_vide_par_dossier_sans_decision(rapport_vm):
    html = lisible(documents.rapport_html(rapport_vm))
    releve = re.sub(r">\s+<", "><", html[html.index("Relevé des décisions"):])
    vides = [r for r in rapport_vm["releve"] if r["decision"] is None]
    assert len(vides) == len(rapport_vm["lignes"]) - 1
    # financeur, décision, montant (migration 0006), motif, auteur, date: all blank
    assert releve.count('<td></td><td></td><td class="montant"></td><td></td><td></td><td></td></tr>') == len(vides)
    assert '<td>Ajourné</td><td class="montant"></td><td>accord du comité</td><td>présidente</td>' in releve


def test_les_entrees_invalides_ont_leur_section_seulement_quand_il_y_en_a(liste_vm, rapport_vm):
    html = lisible(documents.rapport_html(liste_vm))
    assert "Entrées écartées (1)" in html
    assert "LA-ERR-1" in html and "budget.cout_total_ht : doit être un montant strictement positif" in html
    assert "Entrées écartées" not in lisible(documents.rapport_html(rapport_vm))


def test_le_pdf_du_rapport_est_un_a4_paysage_qui_nomme_dossiers_membres_et_controles(rapport_vm, rapport_pdf):
    texte, pages = rapport_pdf
    assert (round(float(pages[0].mediabox.width)), round(float(pages[0].mediabox.height))) == (842, 595)
    compact = _compact(texte)
    for ligne in rapport_vm["lignes"]:
        assert ligne["reference"] in compact
    for membre in rapport_vm["comite"]["membres"]:
        assert _compact(membre["structure"]) in compact
    for controle in rapport_vm["controles"]:
        assert _compact(controle["titre"]) in compact
    assert _compact("Le même projet semble déposé deux fois") in compact
    assert f"page 1 / {len(pages)}" in texte


def test_le_classeur_a_ses_feuilles_et_une_ligne_par_dossier(rapport_vm, liste_vm, tmp_path):
    exports.ecrire_xlsx(rapport_vm, tmp_path / "comite.xlsx")
    classeur = openpyxl.load_workbook(tmp_path / "comite.xlsx")
    assert classeur.sheetnames[:5] == FEUILLES and "Erreurs" not in classeur.sheetnames
    synthese = classeur["Synthèse"]
    assert synthese.max_row == 1 + len(rapport_vm["lignes"])
    assert classeur["Ordre du jour"].max_row == 1 + len(rapport_vm["lignes"])
    assert classeur["Contrôles"].max_row == 1 + len(rapport_vm["controles"])
    assert classeur["Totaux par financeur"].max_row == 1 + len(rapport_vm["totaux"])
    assert classeur["Décisions"].max_row == 1 + len(rapport_vm["releve"])
    exports.ecrire_xlsx(liste_vm, tmp_path / "liste.xlsx")
    erreurs = openpyxl.load_workbook(tmp_path / "liste.xlsx")["Erreurs"]
    assert [c.value for c in erreurs[2]] == [7, "LA-ERR-1", "budget.cout_total_ht",
                                             "doit être un montant strictement positif"]


def test_le_classeur_ecrit_les_montants_en_nombres_et_les_dates_en_dates(rapport_vm, tmp_path):
    exports.ecrire_xlsx(rapport_vm, tmp_path / "comite.xlsx")
    classeur = openpyxl.load_workbook(tmp_path / "comite.xlsx")
    synthese = classeur["Synthèse"]
    entete = [c.value for c in synthese[1]]
    assert entete[:8] == ["Rang", "Référence", "Titre du projet", "Porteur", "Commune", "Coût total HT",
                          "Montant sollicité", "Avis"]
    assert all(c.font.bold for c in synthese[1]) and synthese.freeze_panes == "C2"
    for ligne, x in zip(synthese.iter_rows(min_row=2), rapport_vm["lignes"]):
        assert ligne[1].value == x["reference"]
        assert isinstance(ligne[5].value, (int, float)) and ligne[5].value == x["cout_total_ht"]
        assert ligne[6].value == x["montant_sollicite"] and "€" in ligne[6].number_format
    totaux = classeur["Totaux par financeur"]
    for ligne, t in zip(totaux.iter_rows(min_row=2), rapport_vm["totaux"]):
        assert Decimal(str(ligne[2].value)) == t["sollicite"] and "€" in ligne[2].number_format
    decisions = [r for r in classeur["Décisions"].iter_rows(min_row=2, values_only=True) if r[2]]
    assert decisions and all(isinstance(r[5], datetime) for r in decisions)
    assert classeur["Décisions"].freeze_panes == "A2"


def test_un_nom_qui_ressemble_a_une_formule_reste_du_texte(rapport_vm, tmp_path):
    vm = copy.deepcopy(rapport_vm)
    vm["lignes"][0]["porteur"] = '=HYPERLINK("http://exemple.invalid","clic")'
    vm["lignes"][1]["porteur"] = "SARL\x01 Contrôle"  # a control character openpyxl would refuse
    exports.ecrire_xlsx(vm, tmp_path / "comite.xlsx")
    synthese = openpyxl.load_workbook(tmp_path / "comite.xlsx")["Synthèse"]
    assert synthese["D2"].data_type == "s" and synthese["D2"].value == vm["lignes"][0]["porteur"]
    assert synthese["D3"].value == "SARL Contrôle"
    exports.ecrire_csv(vm, tmp_path / "comite.csv")
    with open(tmp_path / "comite.csv", encoding="utf-8-sig", newline="") as f:
        premiere = next(csv.DictReader(f, delimiter=";"))
    assert premiere["Porteur"] == "'" + vm["lignes"][0]["porteur"]


def test_le_csv_se_relit_avec_le_separateur_point_virgule_et_le_bom(rapport_vm, tmp_path):
    chemin = tmp_path / "comite.csv"
    documents.ecrire(rapport_vm, chemin, "comite")  # the extension picks the CSV export
    assert chemin.read_bytes().startswith(codecs.BOM_UTF8)
    with open(chemin, encoding="utf-8-sig", newline="") as f:
        lignes = list(csv.DictReader(f, delimiter=";"))
    assert len(lignes) == len(rapport_vm["lignes"])
    assert [x["Référence"] for x in lignes] == [x["reference"] for x in rapport_vm["lignes"]]
    for lue, x in zip(lignes, rapport_vm["lignes"]):
        assert _nombre_csv(lue["Coût total HT"]) == x["cout_total_ht"]
        assert _nombre_csv(lue["Montant sollicité"]) == x["montant_sollicite"]
        assert lue["Avis"] == x["avis_libelle"]
        assert lue["Région Hauts-de-France (contrat de destination)"] == x["statuts_libelles"]["region_hdf"]


@pytest.mark.parametrize("montant, attendu", [(180000.0, "180000"), (1250.5, "1250,50"), (None, ""),
                                              (Decimal("0.1") + Decimal("0.2"), "0,30")])
def test_les_montants_du_csv_ont_une_virgule_decimale_sans_separateur_de_milliers(rapport_vm, tmp_path, montant,
                                                                                 attendu):
    # Read back from the file written, as French Excel reads it: the cell's text, not a helper's return.
    vm = copy.deepcopy(rapport_vm)
    vm["lignes"][0]["montant_sollicite"] = montant
    exports.ecrire_csv(vm, tmp_path / "comite.csv")
    with open(tmp_path / "comite.csv", encoding="utf-8-sig", newline="") as f:
        premiere = next(csv.DictReader(f, delimiter=";"))
    assert premiere["Montant sollicité"] == attendu


def test_ecrire_choisit_le_tableur_selon_l_extension(rapport_vm, tmp_path):
    documents.ecrire_rapport(rapport_vm, tmp_path / "comite.xlsx")
    assert openpyxl.load_workbook(tmp_path / "comite.xlsx").sheetnames[0] == "Synthèse"
    documents.ecrire(rapport_vm, tmp_path / "comite.html", "comite")
    assert "rapport et procès-verbal" in (tmp_path / "comite.html").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="possibles : .html, .pdf, .xlsx, .csv"):
        documents.ecrire(rapport_vm, tmp_path / "comite.ods", "comite")
