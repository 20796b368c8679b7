"""`guichet rules impact` par un vrai sous-processus : deux petites versions de règles écrites pour le test
(tests/regles_essai.py), une copie des vraies règles dont on retire une règle, et la base."""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from instruction.evaluation.guichet import Guichet
from instruction.evaluation.territoire import Territoire
from rules.base import BaseDeRegles
from rules.chargement import DOSSIER_REGLES
from tests.regles_essai import dossier, lot, versions

RACINE = Path(__file__).resolve().parents[2]


@pytest.fixture
def guichet(tmp_path):
    environnement = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environnement.update(GUICHET_DONNEES=str(tmp_path / "donnees"), GUICHET_AUTEUR="Claire")

    def lancer(*args: str) -> subprocess.CompletedProcess:
        sortie = subprocess.run([sys.executable, "-m", "api", *args], capture_output=True, text=True, timeout=120,
                                cwd=tmp_path, env=environnement)
        assert "Traceback" not in sortie.stderr, sortie.stderr
        return sortie
    return lancer


@pytest.fixture
def essai(tmp_path):
    """Les deux versions (chemins relatifs au dossier du test) et le lot de cinq dossiers."""
    versions(tmp_path)
    (tmp_path / "lot.json").write_text(json.dumps(lot(), ensure_ascii=False), encoding="utf-8")
    return ("lot.json", "--avant", "avant", "--apres", "apres")


def _empreinte(dossier: Path) -> str:
    return "sha256:" + BaseDeRegles.charger(dossier).empreinte


def test_la_table_montre_transitions_avis_et_regles_en_cause(guichet, essai, tmp_path):
    sortie = guichet("rules", "impact", *essai)
    assert sortie.returncode == 0, sortie.stderr
    assert sortie.stdout == f"""Impact du changement de règles
  avant : {_empreinte(tmp_path / "avant")}  (avant)
  après : {_empreinte(tmp_path / "apres")}  (apres)
  jugés à la date de dépôt de chaque dossier
5 dossiers : 4 changés, 1 inchangé, 0 invalide

Statuts par financeur
  Financeur                     Avant        Après         Dossiers
  region_hdf                    eligible  →  non_concerne         2
  ademe_fonds_tourisme_durable  eligible  →  non_concerne         2

Avis
  Référence  Avant         Après
  ESSAI-A    favorable  →  defavorable
  ESSAI-C    favorable  →  defavorable

Règles en cause
  ESSAI-A  (avis favorable → defavorable)
    region_hdf : eligible → non_concerne
      motifs    − essai.region_cout
      constats  − essai.region_cout
    constats du dossier entier : + essai.info_commune
  ESSAI-B
    constats du dossier entier : + essai.info_commune
  ESSAI-C  (avis favorable → defavorable)
    region_hdf : eligible → non_concerne
      motifs    − essai.region_cout
      constats  − essai.region_cout
    ademe_fonds_tourisme_durable : eligible → non_concerne
      motifs    − essai.ademe_restauration
      constats  − essai.ademe_restauration
    constats du dossier entier : + essai.info_commune
  ESSAI-D
    ademe_fonds_tourisme_durable : eligible → non_concerne
      motifs    − essai.ademe_restauration
      constats  − essai.ademe_restauration
"""


def test_le_json_donne_un_objet_avec_transitions_avis_dossiers_invalides_et_versions(guichet, essai, tmp_path):
    sortie = guichet("rules", "impact", *essai, "--format", "json", "--engine", "python")
    assert sortie.returncode == 0, sortie.stderr
    impact = json.loads(sortie.stdout)
    assert impact["transitions"] == [
        {"financeur": "region_hdf", "avant": "eligible", "apres": "non_concerne", "nombre": 2},
        {"financeur": "ademe_fonds_tourisme_durable", "avant": "eligible", "apres": "non_concerne", "nombre": 2}]
    assert [(a["reference"], a["avant"], a["apres"]) for a in impact["avis"]] == [
        ("ESSAI-A", "favorable", "defavorable"), ("ESSAI-C", "favorable", "defavorable")]
    assert [(d["reference"], [(f["financeur"], f["motifs_retires"]) for f in d["financeurs"]]) for d in
            impact["dossiers"]] == [("ESSAI-A", [("region_hdf", ["essai.region_cout"])]), ("ESSAI-B", []),
                                    ("ESSAI-C", [("region_hdf", ["essai.region_cout"]),
                                                 ("ademe_fonds_tourisme_durable", ["essai.ademe_restauration"])]),
                                    ("ESSAI-D", [("ademe_fonds_tourisme_durable", ["essai.ademe_restauration"])])]
    assert impact["dossiers"][1]["autres_constats"] == [{"financeur": None, "ajoutes": ["essai.info_commune"],
                                                         "retires": []}]
    assert (impact["total"], impact["changes"], impact["inchanges"], impact["invalides"]) == (5, 4, 1, [])
    assert impact["versions"] == {"avant": {"regles": _empreinte(tmp_path / "avant"), "source": "avant"},
                                  "apres": {"regles": _empreinte(tmp_path / "apres"), "source": "apres"}}


def test_le_csv_a_une_ligne_par_changement(guichet, essai):
    sortie = guichet("rules", "impact", *essai, "--format", "csv")
    assert sortie.returncode == 0, sortie.stderr
    lignes = list(csv.reader(io.StringIO(sortie.stdout)))
    assert lignes[0] == ["reference", "porte_sur", "financeur", "avant", "apres", "motifs_ajoutes", "motifs_retires",
                         "constats_ajoutes", "constats_retires", "manquants_ajoutes", "manquants_retires", "erreurs"]
    region = ["statut", "region_hdf", "eligible", "non_concerne", "", "essai.region_cout", "", "essai.region_cout"]
    ademe = ["statut", "ademe_fonds_tourisme_durable", "eligible", "non_concerne", "", "essai.ademe_restauration", "",
             "essai.ademe_restauration"]
    avis = ["avis", "", "favorable", "defavorable", "", "", "", ""]
    info = ["constats", "", "", "", "", "", "essai.info_commune", ""]
    assert lignes[1:] == [[ref, *ligne, "", "", ""] for ref, ligne in [
        ("ESSAI-A", avis), ("ESSAI-A", region), ("ESSAI-A", info), ("ESSAI-B", info), ("ESSAI-C", avis),
        ("ESSAI-C", region), ("ESSAI-C", ademe), ("ESSAI-C", info), ("ESSAI-D", ademe)]]


def test_la_date_imposee_juge_tous_les_dossiers_a_cette_date(guichet, essai):
    # In 2031 no rule of either version is in force: nothing can move.
    sortie = guichet("rules", "impact", *essai, "--date", "2031-01-01", "--format", "json")
    impact = json.loads(sortie.stdout)
    assert (impact["date"], impact["changes"], impact["inchanges"], impact["transitions"]) == ("2031-01-01", 0, 5, [])


def test_un_dossier_invalide_est_liste_et_les_autres_sont_compares(guichet, tmp_path):
    versions(tmp_path)
    casse = {**dossier("CASSE", 150000), "projet": {**dossier("CASSE", 1)["projet"], "nature": "fete"}}
    (tmp_path / "lot.jsonl").write_text("\n".join(json.dumps(d) for d in (dossier("ESSAI-A", 150000), casse)),
                                        encoding="utf-8")
    sortie = guichet("rules", "impact", "lot.jsonl", "--avant", "avant", "--apres", "apres", "--format", "json")
    assert sortie.returncode == 3
    impact = json.loads(sortie.stdout)
    [invalide] = impact["invalides"]
    assert (invalide["position"], invalide["reference"], invalide["sous"]) == (2, "CASSE", ["avant", "apres"])
    assert [e["champ"] for e in invalide["erreurs"]] == ["projet.nature"]
    assert [d["reference"] for d in impact["dossiers"]] == ["ESSAI-A"]
    assert sortie.stderr.splitlines()[-1] == "guichet : 1 dossier invalide sur 2"
    table = guichet("rules", "impact", "lot.jsonl", "--avant", "avant", "--apres", "apres")
    assert table.returncode == 3
    assert re.search(r"^Dossiers invalides\n  entrée 2 \(CASSE\) : projet\.nature : ", table.stdout, re.M)


@pytest.mark.parametrize("avant, message", [
    ("absent", "--avant : « absent » n'est ni une version (sha256:…) ni un dossier de règles existant"),
    ("lot.json", "--avant : « lot.json » n'est pas un dossier"),
    ("", "--avant : donnez une version déjà employée (sha256:…) ou un dossier de règles"),
    ("casse", "--avant : les règles de casse sont invalides : essai.yaml:"),
])
def test_un_mauvais_avant_tient_en_une_ligne_et_sort_en_2(guichet, essai, tmp_path, avant, message):
    (tmp_path / "casse").mkdir()
    (tmp_path / "casse" / "essai.yaml").write_text("regles:\n  - id: essai.x\n    titre: [\n", encoding="utf-8")
    sortie = guichet("rules", "impact", "lot.json", "--avant", avant)
    assert sortie.returncode == 2 and sortie.stdout == ""
    assert len(sortie.stderr.splitlines()) == 1 and sortie.stderr.startswith(f"guichet : {message}")


def test_la_base_entiere_sous_un_dossier_de_regles_puis_sous_une_version_enregistree(guichet, tmp_path):
    versions(tmp_path)
    assert guichet("db", "upgrade").returncode == 0
    for d in (dossier("ESSAI-A", 150000), dossier("ESSAI-C", 150000, "restauration")):
        (tmp_path / f"{d['reference']}.json").write_text(json.dumps(d), encoding="utf-8")
        assert guichet("dossier", "deposer", f"{d['reference']}.json").returncode == 0
    sortie = guichet("rules", "impact", "--avant", "avant", "--apres", "apres", "--format", "json")
    assert sortie.returncode == 0, sortie.stderr
    impact = json.loads(sortie.stdout)
    assert impact["transitions"] == [
        {"financeur": "region_hdf", "avant": "eligible", "apres": "non_concerne", "nombre": 2},
        {"financeur": "ademe_fonds_tourisme_durable", "avant": "eligible", "apres": "non_concerne", "nombre": 1}]
    assert [a["reference"] for a in impact["avis"]] == ["ESSAI-A", "ESSAI-C"]

    inconnue = guichet("rules", "impact", "--avant", "sha256:000000000000", "--apres", "apres")
    assert inconnue.returncode == 2 and inconnue.stderr.startswith("guichet : version des règles inconnue")
    # An evaluation keeps its rule files: that version can then be the « before ».
    assert guichet("dossier", "evaluer", "ESSAI-A").returncode == 0
    version = json.loads(guichet("dossier", "voir", "ESSAI-A", "--format", "json").stdout)["evaluations"][0]
    sortie = guichet("rules", "impact", "--avant", version["version_regles"], "--apres", "apres", "--format", "json")
    assert sortie.returncode == 0, sortie.stderr
    impact = json.loads(sortie.stdout)
    assert impact["total"] == 2 and impact["versions"]["avant"]["regles"] == version["version_regles"].split("/")[0]


def _sans_regle(copie: Path, regle: str) -> bool:
    """Retire de la copie le bloc d'une règle écrite dans une liste `regles` ; False si elle n'y est pas."""
    for fichier in copie.glob("*.yaml"):
        texte = fichier.read_text(encoding="utf-8")
        debut = re.search(rf"^  - id: {re.escape(regle)}\n", texte, re.M)
        if debut:
            fin = re.compile(r"^(  - id: |\S)", re.M).search(texte, debut.end())
            fichier.write_text(texte[:debut.start()] + (texte[fin.start():] if fin else ""), encoding="utf-8")
            return True
    return False


def test_une_copie_des_vraies_regles_privee_d_une_regle(guichet, tmp_path):
    """Avant : les règles en vigueur sans une règle d'éligibilité choisie ici ; après : les règles en vigueur."""
    dossiers = json.loads((RACINE / "examples" / "dossiers.json").read_text(encoding="utf-8"))
    base = BaseDeRegles.charger()
    actuelles = [e.en_json() for e in Guichet(base, Territoire.charger(), moteur="python").evaluer_lot(dossiers)]
    candidates = sorted({m for e in actuelles if "financeurs" in e for f in e["financeurs"]
                         if f["statut"] in ("eligible", "prioritaire") for m in f["motifs"]
                         if base.regle(m).effet == "eligible"})
    for regle in candidates:
        copie = tmp_path / f"sans-{regle}"
        shutil.copytree(DOSSIER_REGLES, copie)
        if not _sans_regle(copie, regle):
            continue
        ancien = Guichet(BaseDeRegles.charger(copie), Territoire.charger(), moteur="python")
        anciennes = [e.en_json() for e in ancien.evaluer_lot(dossiers)]
        attendues = sorted((a["reference"], fa["financeur"], fa["statut"], fn["statut"])
                           for a, n in zip(anciennes, actuelles) if "financeurs" in a
                           for fa, fn in zip(a["financeurs"], n["financeurs"]) if fa["statut"] != fn["statut"])
        if attendues:
            break
    else:
        pytest.fail("aucune règle d'éligibilité dont le retrait change un statut des exemples")
    sortie = guichet("rules", "impact", str(RACINE / "examples" / "dossiers.json"), "--avant", str(copie),
                     "--engine", "python", "--format", "json")
    assert sortie.returncode == 0, sortie.stderr
    impact = json.loads(sortie.stdout)
    vues = sorted((d["reference"], f["financeur"], f["avant"], f["apres"])
                  for d in impact["dossiers"] for f in d["financeurs"])
    assert vues == attendues
    total = {}
    for _, financeur, avant, apres in attendues:
        total[(financeur, avant, apres)] = total.get((financeur, avant, apres), 0) + 1
    assert {(t["financeur"], t["avant"], t["apres"]): t["nombre"] for t in impact["transitions"]} == total
    for d in impact["dossiers"]:
        for f in d["financeurs"]:
            assert regle not in f["motifs_retires"] + f["constats_retires"]
    assert any(regle in f["motifs_ajoutes"] for d in impact["dossiers"] for f in d["financeurs"])
    assert impact["versions"]["avant"]["regles"] == _empreinte(copie)
