"""L'avis technique imprimable : ce que le PDF et le HTML montrent du modèle de vue."""
from datetime import date, datetime, timezone

import pytest
from markupsafe import escape

from api.rendu import documents
from tests.documents.conftest import PORTEUR_PIEGE, lisible


def _compact(texte: str) -> str:
    # Lines wrap anywhere in a PDF: compare texts without their spaces and line breaks.
    return "".join(texte.split())


def _constats(vm: dict) -> list[dict]:
    return ([c for f in vm["financeurs"] for c in f["constats"]] + vm["constats_generaux"]
            + [c for a in vm["accompagnement"] for c in a["constats"]])


def _bloc(html: str, texte: str, debut: str = "<tr") -> str:
    """Le morceau du HTML qui contient `texte`, d'une balise `debut` à la suivante."""
    blocs = [b for b in html.split(debut) if texte in b]
    assert blocs, f"« {texte} » absent du HTML"
    return blocs[-1]


def test_le_pdf_de_l_avis_est_un_a4_portrait_avec_la_reference_en_pied_de_page(avis_vm, avis_pdf):
    texte, pages = avis_pdf
    assert len(pages) >= 2
    largeur, hauteur = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (round(largeur), round(hauteur)) == (595, 842)
    assert f"page 1 / {len(pages)}" in texte and f"page {len(pages)} / {len(pages)}" in texte
    assert texte.count(avis_vm["reference"]) >= len(pages)  # the footer repeats it on every page


def test_le_pdf_de_l_avis_nomme_chaque_financeur_et_le_visa(avis_vm, avis_pdf):
    texte = _compact(avis_pdf[0])
    for f in avis_vm["financeurs"]:
        assert _compact(f["nom"]) in texte
    assert "Visa" in texte
    assert _compact(avis_vm["signature"]["instructeur"]) in texte
    assert _compact("Visa du chef de service") in texte


def test_le_pdf_de_l_avis_cite_l_article_de_chaque_constat(avis_vm, avis_pdf):
    texte = _compact(avis_pdf[0])
    references = {c["source"]["reference"] for c in _constats(avis_vm)}
    assert len(references) >= 5
    manquantes = [r for r in references if _compact(r) not in texte]
    assert manquantes == []


def test_chaque_constat_cite_son_document_et_le_passage_entre_guillemets(avis_vm):
    html = lisible(documents.avis_html(avis_vm))
    for c in _constats(avis_vm):
        source = c["source"]
        assert escape(f"{source['titre']}, {source['reference']}") in html
        assert lisible(escape(f"« {source['extrait']} »")) in html


def test_les_constats_d_interpretation_sont_marques_a_confirmer(avis_vm):
    html = lisible(documents.avis_html(avis_vm))
    attendus = sum(1 for c in _constats(avis_vm) if c["interpretation"])
    assert attendus >= 2
    assert html.count('<span class="marque">interprétation — à confirmer</span>') == attendus


def test_le_html_echappe_un_nom_de_porteur_contenant_du_html(avis_vm):
    assert avis_vm["porteur"]["nom"] == PORTEUR_PIEGE
    html = lisible(documents.avis_html(avis_vm))
    assert "<script>" not in html
    assert "SAS &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Cie" in html


def test_l_avis_calcule_et_l_avis_retenu_sont_cote_a_cote_quand_ils_different(avis_vm):
    assert avis_vm["avis"]["calcule"] != avis_vm["avis"]["retenu"]
    html = lisible(documents.avis_html(avis_vm))
    encadre = html[html.index('<div class="encadre">'):html.index("<h2>")]
    assert "Avis calculé" in encadre and avis_vm["avis"]["calcule_libelle"] in encadre
    assert "Avis retenu" in encadre and avis_vm["avis"]["retenu_libelle"] in encadre


def test_un_statut_corrige_montre_le_calcul_et_la_valeur_retenue(avis_vm):
    leader = next(f for f in avis_vm["financeurs"] if f["id"] == "leader")
    assert leader["corrige"] and leader["statut_calcule"] != leader["statut"]
    html = lisible(documents.avis_html(avis_vm))
    ligne = _bloc(html, f"<td>{leader['nom']}</td>")
    assert leader["statut_calcule_libelle"] in ligne and leader["statut_libelle"] in ligne
    assert "corrigé par l'instructeur" in ligne


def test_une_correction_montre_les_deux_valeurs_et_sa_justification(avis_vm):
    html = lisible(documents.avis_html(avis_vm))
    ligne = _bloc(html, "hors stratégie du GAL", "<tbody")
    assert "Statut — LEADER (GAL)" in ligne
    assert "<td>Éligible</td><td>Exclu</td>" in ligne
    assert "instructrice" in ligne and "23 novembre 2026" in ligne
    assert "retiree" not in ligne


def test_une_correction_retiree_est_barree_avec_qui_l_a_retiree_et_pourquoi(avis_vm):
    html = lisible(documents.avis_html(avis_vm))
    bloc = _bloc(html, "attendre le diagnostic", "<tbody")
    assert 'class="retiree"' in bloc
    assert "retirée</span> cheffe, le 23/11/2026 : diagnostic reçu" in bloc
    assert ".retiree td { text-decoration: line-through" in (documents.GABARITS / "_document.css").read_text()


def test_une_correction_a_revoir_est_signalee_avec_sa_raison(avis_vm):
    revue = next(c for c in avis_vm["corrections"] if c["a_revoir"])
    html = lisible(documents.avis_html(avis_vm))
    ligne = _bloc(html, "rattachement aux axes à discuter", "<tbody")
    assert "à revoir</span>" in ligne and lisible(escape(revue["motif_revue"])) in ligne


def test_l_avis_montre_la_bande_de_montant_les_pieces_et_l_accompagnement(avis_vm):
    html = lisible(documents.avis_html(avis_vm))
    ademe = next(f for f in avis_vm["financeurs"] if f["montant_indicatif"])
    assert lisible(documents.bande(ademe["montant_indicatif"])) in html
    assert avis_vm["pieces_requises"] and all(lisible(escape(p)) in html for p in avis_vm["pieces_requises"])
    assert avis_vm["accompagnement"] and all(a["nom"] in html for a in avis_vm["accompagnement"])


def test_l_avis_donne_la_version_des_regles_la_date_de_reference_et_le_numero_d_evaluation(avis_vm):
    html = lisible(documents.avis_html(avis_vm))
    evaluation = avis_vm["evaluation"]
    assert evaluation["version_regles"] in html
    assert documents.date_fr(evaluation["date_reference"]) in html
    assert f"n° {evaluation['numero']}," in html


@pytest.mark.parametrize("valeur, attendu", [
    (date(2026, 11, 23), "23 novembre 2026"),
    (date(2025, 3, 1), "1er mars 2025"),
    # 23:30 UTC on 31 December is already New Year's Day in Paris.
    (datetime(2025, 12, 31, 23, 30, tzinfo=timezone.utc), "1er janvier 2026"),
    (None, "non renseignée"),
])
def test_les_dates_s_ecrivent_a_la_francaise(valeur, attendu):
    assert documents.date_fr(valeur) == attendu


def test_les_pourcentages_et_les_bandes_s_ecrivent_a_la_francaise():
    assert documents.pourcentage(54000, 180000) == "30\u00a0%"
    assert documents.pourcentage(0.125) == "12,5\u00a0%"
    assert documents.pourcentage(1, None) == "100\u00a0%"
    assert documents.pourcentage(10, 0) == "—"
    assert documents.bande({"min": 5000, "max": 200000}) == "entre 5\u202f000\u00a0€ et 200\u202f000\u00a0€"


def test_ecrire_choisit_le_format_selon_l_extension(avis_vm, tmp_path):
    documents.ecrire_avis(avis_vm, tmp_path / "avis.html")
    assert (tmp_path / "avis.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    with pytest.raises(ValueError, match="format « .docx » inconnu"):
        documents.ecrire(avis_vm, tmp_path / "avis.docx", "avis")
    with pytest.raises(ValueError, match="possibles : .html, .pdf$"):
        documents.ecrire(avis_vm, tmp_path / "avis.xlsx", "avis")


def test_un_dossier_de_gabarits_absent_donne_une_erreur_claire(monkeypatch, tmp_path):
    monkeypatch.setattr(documents, "GABARITS", tmp_path / "templates")
    documents.environnement.cache_clear()
    try:
        with pytest.raises(documents.GabaritsIntrouvables, match="gabarits introuvables"):
            documents.environnement()
    finally:
        monkeypatch.undo()
        documents.environnement.cache_clear()
