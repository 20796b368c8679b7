"""La ligne de commande telle que contract.md la décrit, par un vrai sous-processus."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from rules import durable

RACINE = Path(__file__).resolve().parents[2]
EXEMPLE = RACINE / "examples" / "aire-camping-cars.json"
CHAMPS_REGLE = {"id", "titre", "financeur", "effet", "source", "interpretation", "en_vigueur"}


def guichet(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api", *args], capture_output=True, text=True, timeout=120)


def test_evaluate_json_donne_un_tableau_au_format_du_contrat():
    sortie = guichet("evaluate", str(EXEMPLE))
    assert sortie.returncode == 0, sortie.stderr
    (evaluation,) = json.loads(sortie.stdout)
    assert set(evaluation) >= {"reference", "avis", "financeurs", "orientation", "accompagnement",
                               "informations_manquantes", "constats", "version_regles"}
    assert [f["financeur"] for f in evaluation["financeurs"]] == [
        "region_hdf", "region_prit", "departement_62", "departement_59", "ademe_fonds_tourisme_durable",
        "leader", "epci"]
    for constat in evaluation["constats"]:
        assert set(constat["source"]) == {"document", "reference", "extrait"}


def test_evaluate_csv_et_json_donnent_la_meme_evaluation(tmp_path):
    import csv

    from forms.csv_contrat import COLONNES, dossier_vers_ligne
    dossier = json.loads(EXEMPLE.read_text(encoding="utf-8"))
    chemin = tmp_path / "un.csv"
    with chemin.open("w", newline="", encoding="utf-8") as f:
        ecrivain = csv.DictWriter(f, fieldnames=COLONNES)
        ecrivain.writeheader()
        ecrivain.writerow(dossier_vers_ligne(dossier))
    depuis_csv = json.loads(guichet("evaluate", str(chemin)).stdout)
    depuis_json = json.loads(guichet("evaluate", str(EXEMPLE)).stdout)
    assert depuis_csv == depuis_json


def test_la_date_imposee_choisit_les_regles_en_vigueur():
    en_2024 = json.loads(guichet("evaluate", str(EXEMPLE), "--date", "2024-06-01").stdout)[0]
    region = next(f for f in en_2024["financeurs"] if f["financeur"] == "region_hdf")
    assert region == {"financeur": "region_hdf", "statut": "a_completer", "motifs": ["region.contrat.periode"],
                      "montant_indicatif": None}
    assert en_2024["version_regles"].endswith("@2024-06-01")


def test_le_format_table_affiche_une_ligne_par_dossier():
    sortie = guichet("evaluate", str(RACINE / "examples" / "dossiers.json"), "--format", "table")
    assert sortie.returncode == 0, sortie.stderr  # every example dossier is valid: 3 would mean one is not
    lignes = sortie.stdout.strip().splitlines()
    assert lignes[0].startswith("Référence")
    assert len(lignes) == 1 + len(json.loads((RACINE / "examples" / "dossiers.json").read_text()))


def test_rules_export_liste_chaque_regle_avec_sa_source():
    sortie = guichet("rules", "export", "--format", "json", "--toutes")
    assert sortie.returncode == 0
    regles = json.loads(sortie.stdout)
    from rules.base import BaseDeRegles
    assert len(regles) == len(BaseDeRegles.charger().regles)
    for regle in regles:
        assert set(regle) == CHAMPS_REGLE
        assert set(regle["en_vigueur"]) == {"du", "au"}
    en_2023 = json.loads(guichet("rules", "export", "--format", "json", "--date", "2023-06-01").stdout)
    assert {r["id"] for r in en_2023} < {r["id"] for r in regles}
    assert "ademe.plein_air.2023" in {r["id"] for r in en_2023}
    aujourd_hui = json.loads(guichet("rules", "export", "--format", "json").stdout)
    assert "ademe.plein_air.2023" not in {r["id"] for r in aujourd_hui}


def test_rules_check_valide_la_base_et_signale_un_fichier_casse(tmp_path):
    assert guichet("rules", "check").returncode == 0
    fixture = RACINE / "tests" / "rules" / "fixtures" / "champ_inconnu.yaml"
    (tmp_path / fixture.name).write_text(fixture.read_text(encoding="utf-8"), encoding="utf-8")
    sortie = guichet("rules", "check", "--dir", str(tmp_path))
    assert sortie.returncode == 2
    assert "champ_inconnu.yaml:3: règle champ_inconnu.a" in sortie.stdout
    assert "Traceback" not in sortie.stdout + sortie.stderr


@pytest.mark.skipif(not durable.disponible(), reason="durable-rules ne s'importe pas ici : rien à comparer")
def test_le_moteur_python_et_le_moteur_durable_donnent_la_meme_sortie():
    # --engine durable, not auto: where durable-rules is absent, auto is the Python engine and the
    # comparison would pass trivially.
    dossiers = str(RACINE / "examples" / "dossiers.json")
    python = guichet("evaluate", dossiers, "--engine", "python")
    par_durable = guichet("evaluate", dossiers, "--engine", "durable")
    assert (python.returncode, par_durable.returncode) == (0, 0), par_durable.stderr
    assert json.loads(python.stdout) == json.loads(par_durable.stdout)


def test_rules_check_signale_un_exemple_qui_ne_tient_plus(tmp_path):
    (tmp_path / "t.yaml").write_text("""
regles:
  - id: t.investissement
    titre: Investissement
    financeur: region_hdf
    effet: prioritaire
    si: {projet.nature: investissement}
    message: Priorité à l'investissement.
    source:
      document: 000_2cc5c77f9f4957df.txt
      reference: Article 4.4
      extrait: Elle interviendra en financement en indiquant la priorité à l'investissement
    interpretation: false
    en_vigueur: {du: null, au: null}
    exemples:
      - nom: une étude
        dossier: {projet: {nature: etude}}
        attendu: applicable
""", encoding="utf-8")
    sortie = guichet("rules", "check", "--dir", str(tmp_path))
    assert sortie.returncode == 2
    assert "t.yaml: règle t.investissement : exemple « une étude » : attendu applicable, obtenu non_applicable" \
        in sortie.stdout


def test_un_gros_lot_evalue_en_parallele_garde_l_ordre_et_le_contenu(tmp_path, guichet_python):
    from api.cli.parallele import SEUIL
    modeles = json.loads((RACINE / "examples" / "dossiers.json").read_text(encoding="utf-8"))
    lot = [dict(modeles[i % len(modeles)], reference=f"P-{i:05d}") for i in range(SEUIL + 300)]
    lot[17] = {"reference": "P-INVALIDE", "budget": {"cout_total_ht": -1}}
    chemin = tmp_path / "gros.jsonl"
    chemin.write_text("\n".join(json.dumps(d) for d in lot), encoding="utf-8")
    sortie = guichet("evaluate", str(chemin), "--engine", "python")
    assert sortie.returncode == 3
    assert json.loads(sortie.stdout) == [e.en_json() for e in guichet_python.evaluer_lot(lot)]
