"""Les données ouvertes des subventions de bout en bout : une réunion du comité décide, `GET /opendata/subventions.csv`
(public) sert le fichier SCDL, valide selon le schéma du dépôt (frictionless), sans le nom d'un particulier ; et
`guichet opendata subventions --output` écrit exactement les mêmes octets."""
import csv
import io
import json
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from frictionless import Resource, Schema

from instruction.acces import Agent
from instruction.comite import services as services_comite
from instruction.documents.opendata import COLONNES, NOM_ANONYME, VERSION_SCHEMA
from tests.e2e.banc_comptes import banc, client
from tests.e2e.serveur import GUICHET, RACINE, environnement_guichet

SCHEMA = RACINE / "schemas" / f"scdl-subventions-{VERSION_SCHEMA}" / "schema.json"
SECRETARIAT = Agent.local("secrétariat")
PARTICULIER = "Jeanne Martin"


def _dossier(reference: str, porteur: dict, titre: str, montant: float) -> dict:
    return {"reference": reference, "date_depot": "2025-10-01", "porteur": porteur,
            "projet": {"titre": titre, "commune_insee": "62119", "nature": "investissement", "secteur": "hebergement",
                       "hebergement_type": "chambre_hotes"},
            "budget": {"cout_total_ht": 200000, "montant_sollicite": montant}}


@pytest.fixture(scope="module")
def avec_decisions(guichet_python, tmp_path_factory):
    """Une base où la réunion Lys Artois du 11 décembre 2025 a décidé trois dossiers."""
    dossier = tmp_path_factory.mktemp("opendata")
    b = banc(guichet_python, dossier)
    uow, horloge = b.contexte.unite_de_travail, b.contexte.horloge
    code = services_comite.creer_comite(uow(), guichet_python.territoire, SECRETARIAT, date(2025, 12, 11),
                                        "lys_artois").code
    lot = [_dossier("OD-1", {"nom": "Commune de Béthune", "type": "commune", "siret": "21620119400018"},
                    "Aire de camping-cars", 54000),
           _dossier("OD-2", {"nom": PARTICULIER, "type": "particulier"}, f"Chambres d'hôtes de {PARTICULIER}", 30000),
           _dossier("OD-3", {"nom": "Les Amis du Port", "type": "association"}, "Halte nautique", 25000)]
    assert not services_comite.importer(uow(), guichet_python, code, lot, SECRETARIAT, horloge=horloge).erreurs
    for reference, decisions, montants in (("OD-1", {"region_hdf": "favorable"}, {"region_hdf": Decimal("50000")}),
                                           ("OD-2", {"region_hdf": "favorable"}, None),
                                           ("OD-3", {"region_hdf": "defavorable"}, None)):
        services_comite.decider(uow(), code, reference, decisions, "décision de la réunion", SECRETARIAT, horloge,
                                montants=montants)
    b.dossier = dossier
    return b


@pytest.fixture(scope="module")
def reponse(avec_decisions):
    return client(avec_decisions.app).get("/opendata/subventions.csv")


def test_le_fichier_est_public_en_csv_utf8(reponse):
    assert reponse.status_code == 200
    assert reponse.headers["content-type"] == "text/csv; charset=utf-8"
    lignes = list(csv.DictReader(io.StringIO(reponse.content.decode("utf-8"))))
    assert [(x["referenceDecision"].split("/")[1], x["montant"]) for x in lignes] == [("OD-1", "50000.00"),
                                                                                      ("OD-2", "30000.00")]


def test_le_fichier_est_valide_selon_le_schema_scdl_du_depot(reponse):
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    rapport = Resource(data=reponse.content, format="csv", encoding="utf-8", schema=schema).validate()
    assert rapport.valid, rapport.flatten(["rowNumber", "fieldName", "type", "note"])
    assert rapport.tasks[0].stats["rows"] == 2
    assert reponse.content.decode("utf-8").split("\r\n")[0] == ",".join(COLONNES)


def test_le_particulier_n_y_est_jamais_nomme(reponse):
    texte = reponse.content.decode("utf-8")
    assert NOM_ANONYME in texte
    assert "Jeanne" not in texte and "Martin" not in texte


def test_la_ligne_de_commande_ecrit_les_memes_octets(avec_decisions, reponse, tmp_path):
    sortie = tmp_path / "subventions.csv"
    resultat = subprocess.run([str(GUICHET), "opendata", "subventions", "--output", str(sortie)], cwd=RACINE,
                              env=environnement_guichet(avec_decisions.dossier), capture_output=True, text=True)
    assert resultat.returncode == 0, resultat.stderr
    assert sortie.read_bytes() == reponse.content
    assert "2 subventions écrites" in resultat.stderr


def test_la_ligne_de_commande_refuse_un_dossier_de_sortie_absent_en_une_ligne(avec_decisions, tmp_path):
    resultat = subprocess.run([str(GUICHET), "opendata", "subventions", "--output", str(tmp_path / "non" / "x.csv")],
                              cwd=RACINE, env=environnement_guichet(avec_decisions.dossier), capture_output=True,
                              text=True)
    assert resultat.returncode == 2
    assert resultat.stderr.strip().count("\n") == 0 and "n'existe pas" in resultat.stderr
    assert not Path(tmp_path / "non").exists()
