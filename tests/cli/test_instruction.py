"""L'instruction et le comité par la ligne de commande, dans un vrai sous-processus et sur une vraie base
SQLite : chaque refus tient en une ligne, jamais de trace, et les codes de sortie disent ce qui s'est passé."""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from forms.csv_contrat import COLONNES, dossier_vers_ligne

RACINE = Path(__file__).resolve().parents[2]
EXEMPLES = json.loads((RACINE / "examples" / "dossiers.json").read_text(encoding="utf-8"))
AIRE = RACINE / "examples" / "aire-camping-cars.json"


@pytest.fixture
def guichet(tmp_path):
    environnement = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environnement.update(GUICHET_DONNEES=str(tmp_path / "donnees"), GUICHET_AUTEUR="Claire")

    def lancer(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        sortie = subprocess.run([sys.executable, "-m", "api", *args], capture_output=True, text=True, timeout=120,
                                cwd=tmp_path, env={**environnement, **(env or {})})
        assert "Traceback" not in sortie.stderr, sortie.stderr
        return sortie

    assert lancer("db", "upgrade").returncode == 0
    return lancer


def _csv(chemin: Path, dossiers: list[dict]) -> Path:
    with chemin.open("w", newline="", encoding="utf-8") as f:
        ecrivain = csv.DictWriter(f, fieldnames=COLONNES)
        ecrivain.writeheader()
        for d in dossiers:
            ecrivain.writerow(dossier_vers_ligne(d))
    return chemin


def test_db_upgrade_cree_la_base_sqlite_dans_le_dossier_de_donnees(guichet, tmp_path):
    sortie = guichet("db", "upgrade")
    from instruction.storage.migration import version_de_tete
    assert sortie.returncode == 0 and f"Base à jour ({version_de_tete()})" in sortie.stdout
    assert (tmp_path / "donnees" / "guichet.sqlite").is_file()


def test_le_cycle_d_un_dossier_par_la_ligne_de_commande(guichet, tmp_path):
    assert guichet("dossier", "deposer", str(AIRE)).returncode == 0
    deja = guichet("dossier", "deposer", str(AIRE))
    assert deja.returncode == 2 and "déjà" in deja.stderr and len(deja.stderr.strip().splitlines()) == 1
    assert "évaluation n° 1" in guichet("dossier", "evaluer", "LA-2025-001").stdout
    interdit = guichet("dossier", "etat", "LA-2025-001", "decide", "--motif", "vite")
    assert interdit.returncode == 2 and "interdit" in interdit.stderr
    assert guichet("dossier", "etat", "LA-2025-001", "en_instruction", "--motif", "prise en charge").returncode == 0
    corrige = guichet("dossier", "corriger", "LA-2025-001", "--statut", "region_hdf=eligible",
                      "--justification", "pas de priorité cette année")
    assert corrige.returncode == 0, corrige.stderr
    assert "évaluation n° 2" in guichet("dossier", "evaluer", "LA-2025-001", "--date", "2024-06-01").stdout
    historique = json.loads(guichet("dossier", "voir", "LA-2025-001", "--format", "json").stdout)
    assert [t["vers"] for t in historique["transitions"]] == ["depose", "en_instruction"]
    assert [e["numero"] for e in historique["evaluations"]] == [1, 2]
    assert historique["corrections"][0]["auteur"] == "Claire" and historique["corrections"][0]["a_revoir"]


def test_un_depot_invalide_nomme_le_champ_et_sort_en_3(guichet, tmp_path):
    faux = tmp_path / "faux.json"
    faux.write_text(json.dumps({**EXEMPLES[0], "budget": {"cout_total_ht": -5}}), encoding="utf-8")
    sortie = guichet("dossier", "deposer", str(faux))
    assert sortie.returncode == 3 and "budget.cout_total_ht" in sortie.stderr


def test_l_avis_technique_s_ecrit_en_pdf_avec_la_reference_et_les_articles_cites(guichet, tmp_path):
    guichet("dossier", "deposer", str(AIRE))
    guichet("dossier", "evaluer", "LA-2025-001")
    sortie = guichet("avis", "LA-2025-001", "--output", "avis.pdf")
    assert sortie.returncode == 0, sortie.stderr
    texte = " ".join(p.extract_text() for p in PdfReader(tmp_path / "avis.pdf").pages)
    assert "LA-2025-001" in texte and "Article 4.4" in texte and "Visa" in texte


def test_l_avis_d_un_fichier_se_fait_sans_base(guichet, tmp_path):
    sortie = guichet("avis", str(AIRE), "--output", "avis.html")
    assert sortie.returncode == 0, sortie.stderr
    assert "LA-2025-001" in (tmp_path / "avis.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, attendu", [
    (("avis", "LA-404", "--output", "a.pdf"), "introuvable"),
    (("avis", str(AIRE), "--output", "a.docx"), "extension"),
    (("dossier", "evaluer", "LA-404"), "introuvable"),
    (("comite", "rapport", "inconnu", "--output", "r.pdf"), "introuvable"),
    (("comite", "creer", "--date", "2024-02-30"), "date invalide"),
    (("comite", "creer", "--date", "2024-06-01"), "hors de la période"),
    (("dossier", "liste", "--etat", "fini"), "état inconnu"),
])
def test_chaque_refus_tient_en_une_ligne_et_sort_en_2(guichet, args, attendu):
    sortie = guichet(*args)
    assert sortie.returncode == 2 and attendu in sortie.stderr
    assert len(sortie.stderr.strip().splitlines()) == 1


def test_une_base_injoignable_est_nommee_sans_son_mot_de_passe(guichet):
    sortie = guichet("dossier", "liste", env={"DATABASE_URL": "postgresql://guichet:secret@127.0.0.1:1/guichet"})
    assert sortie.returncode == 2 and "secret" not in sortie.stderr and "127.0.0.1" in sortie.stderr


def test_le_comite_importe_evalue_decide_et_se_rejoue(guichet, tmp_path):
    assert guichet("comite", "creer", "--date", "2025-06-12", "--code", "ct-juin",
                   "--membre", "Conseil Régional=Mme Durand",
                   "--membre", "Pas-de-Calais Tourisme=Marc Delattre").returncode == 0
    refus = guichet("comite", "creer", "--date", "2025-06-12", "--code", "ct-sans-egal", "--membre", "Foo")
    assert refus.returncode == 2 and "Structure=Représentant" in refus.stderr
    liste = _csv(tmp_path / "liste.csv", EXEMPLES[:8] + [{**EXEMPLES[8], "reference": "BAD", "projet": {
        "commune_insee": "99999"}}])
    importe = guichet("comite", "importer", "ct-juin", str(liste))
    assert importe.returncode == 3 and "8 dossiers importés et inscrits" in importe.stdout
    assert "BAD" in importe.stderr and "projet.commune_insee" in importe.stderr
    assert "Enregistrement" not in importe.stderr  # progress goes to a terminal only
    evalue = guichet("comite", "evaluer", "ct-juin")
    assert evalue.returncode == 0 and "8 dossiers évalués" in evalue.stdout
    assert guichet("comite", "decision", "ct-juin", "LA-2025-001", "--financeur", "region_hdf=favorable",
                   "--motif", "vote unanime").returncode == 0
    assert guichet("comite", "rapport", "ct-juin", "--output", "rapport.xlsx").returncode == 0
    synthese = load_workbook(tmp_path / "rapport.xlsx")["Synthèse"]
    assert synthese.max_row == 1 + 8  # the header, then one row per dossier of the agenda
    assert [synthese.cell(ligne, 2).value for ligne in range(2, 10)] == [d["reference"] for d in EXEMPLES[:8]]
    changements = json.loads(guichet("comite", "compare", "ct-juin", "--date", "2024-06-01", "--format",
                                     "json").stdout)
    assert len(changements) == 8 and any(c["change"] for c in changements)
    sans_prit = tmp_path / "regles"
    sans_prit.mkdir()
    for fichier in (RACINE / "rules" / "regles").glob("*.yaml"):
        if fichier.name != "prit.yaml":
            (sans_prit / fichier.name).write_text(fichier.read_text(encoding="utf-8"), encoding="utf-8")
    autre = guichet("comite", "compare", "ct-juin", "--regles", str(sans_prit))
    assert autre.returncode == 0, autre.stderr
    assert "region_prit a_completer → non_concerne" in autre.stdout


def test_comite_evaluate_ecrit_le_rapport_du_contrat_sans_base(guichet, tmp_path):
    liste = tmp_path / "liste.json"
    liste.write_text(json.dumps(EXEMPLES), encoding="utf-8")
    for extension in ("html", "csv"):
        sortie = guichet("comite", "evaluate", str(liste), "--date", "2025-06-12", "--output", f"r.{extension}")
        assert sortie.returncode == 0, sortie.stderr
    texte = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert all(d["reference"] in texte for d in EXEMPLES)
    with (tmp_path / "r.csv").open(encoding="utf-8-sig") as f:
        assert len(list(csv.DictReader(f, delimiter=";"))) == len(EXEMPLES)


def test_la_demonstration_se_charge_une_fois(guichet):
    premiere = guichet("demo")
    assert premiere.returncode == 0, premiere.stderr
    assert "déjà chargée" in guichet("demo").stdout
    assert "17 dossiers" in guichet("dossier", "liste").stdout


def test_une_demonstration_chargee_avant_les_comptes_les_recoit(guichet, tmp_path):
    import sqlite3
    assert guichet("demo").returncode == 0
    base = next((tmp_path / "donnees").glob("*.sqlite*"))
    with sqlite3.connect(base) as connexion:  # the state of a database loaded before accounts existed
        connexion.execute("DELETE FROM compte_comites")
        connexion.execute("DELETE FROM comptes")
    assert "@demo.guichet.fr" not in guichet("utilisateur", "liste").stdout
    deuxieme = guichet("demo")
    assert deuxieme.returncode == 0 and "déjà chargée" in deuxieme.stdout and "4 comptes" in deuxieme.stdout
    liste = guichet("utilisateur", "liste").stdout
    assert all(f"{qui}@demo.guichet.fr" in liste for qui in ("porteur", "instructeur", "membre", "admin")), liste


def test_une_base_sans_schema_dit_de_lancer_db_upgrade(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    sortie = subprocess.run([sys.executable, "-m", "api", "dossier", "liste"], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path, env={**env, "GUICHET_DONNEES": str(tmp_path / "vide")})
    assert sortie.returncode == 2 and "guichet db upgrade" in sortie.stderr and "Traceback" not in sortie.stderr
