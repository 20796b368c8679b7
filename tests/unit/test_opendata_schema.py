"""Le fichier des subventions est valide au regard du schéma SCDL « subventions » du dépôt
(`schemas/scdl-subventions-2.1.1/schema.json`), vérifié par frictionless, la bibliothèque de validation des
Table Schema ; un fichier fautif est refusé (le validateur regarde vraiment)."""
import json
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from frictionless import Resource, Schema

from api.rendu.opendata import csv_subventions
from forms.dossier import Dossier
from instruction.documents import opendata
from instruction.dossiers.dossier_instruit import Decision

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / f"scdl-subventions-{opendata.VERSION_SCHEMA}" / "schema.json"
QUAND = datetime(2025, 12, 12, tzinfo=timezone.utc)


def _attribution(type_porteur: str, nom: str, siret: str | None, montant: str, entreprise_ue: bool):
    porteur = {"nom": nom, "type": type_porteur, **({"siret": siret} if siret else {})}
    dossier = Dossier.model_validate({"reference": f"LA-{nom[:3]}", "porteur": porteur,
                                      "projet": {"titre": f"Projet de {nom}", "nature": "investissement",
                                                 "secteur": "hebergement"}})
    decision = Decision("region_hdf", "favorable", "motif", "secrétariat", QUAND, "lys_artois-2025-12-11",
                        Decimal(montant))
    return opendata.Attribution(dossier, decision, date(2025, 12, 11), date(2027, 12, 31), Decimal(montant),
                                entreprise_ue)


def _rapport(contenu: bytes):
    # The descriptor is passed as data: frictionless refuses to open an absolute path itself (« not safe »).
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return Resource(data=contenu, format="csv", encoding="utf-8", schema=schema).validate()


@pytest.fixture(scope="module")
def fichier() -> bytes:
    return csv_subventions(opendata.lignes([
        _attribution("commune", "Commune de Béthune", "21620119400018", "54000", False),
        _attribution("entreprise", "Hôtel « Le Beffroi », SARL", "73282932000074", "23000.5", True),
        _attribution("particulier", "Jeanne Martin", None, "8000", True),
        _attribution("association", "Les Amis du Port", None, "0.01", False),
    ]))


def test_le_schema_du_depot_est_celui_de_la_version_suivie_et_ses_colonnes_celles_de_l_export():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["name"] == "subventions" and schema["version"] == opendata.VERSION_SCHEMA
    assert tuple(f["name"] for f in schema["fields"]) == opendata.COLONNES


def test_le_fichier_des_subventions_est_valide_selon_le_schema_scdl(fichier):
    rapport = _rapport(fichier)
    assert rapport.valid, rapport.flatten(["rowNumber", "fieldName", "type", "note"])
    assert rapport.tasks[0].stats["rows"] == 4


def test_le_fichier_est_un_csv_utf8_a_virgules_avec_l_en_tete_du_schema(fichier):
    texte = fichier.decode("utf-8")
    assert not fichier.startswith(b"\xef\xbb\xbf")  # no BOM: validators read the first column name as is
    assert texte.split("\r\n")[0] == ",".join(opendata.COLONNES)
    assert '"Hôtel « Le Beffroi », SARL"' in texte  # a comma in a value is quoted


@pytest.mark.parametrize("colonne, valeur", [("idAttribuant", "2000537420001"), ("montant", "54 000,00"),
                                             ("datesPeriodeVersement", "2025-12-11_2027-12-31"),
                                             ("nature", "subvention"), ("pourcentageSubvention", "100")])
def test_un_fichier_fautif_est_refuse_par_le_validateur(colonne, valeur):
    ligne = opendata.ligne(_attribution("commune", "Commune de Béthune", "21620119400018", "54000", False))
    rapport = _rapport(csv_subventions([{**ligne, colonne: valeur}]))
    assert not rapport.valid
    assert {e[0] for e in rapport.flatten(["fieldName"])} == {colonne}
