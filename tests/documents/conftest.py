"""Des modèles de vue réels pour les documents : des dossiers d'exemple déposés, évalués, corrigés et
décidés avec les dépôts en mémoire, comme le ferait l'instruction."""
import copy
import itertools
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from api.bootstrap import controles as controles_du_comite
from instruction.acces import Agent
from instruction.comite import services as sc
from instruction.documents import avis as avis_technique
from instruction.dossiers import services as s
from tests.unit.faux import FausseUnite

CONTROLES = controles_du_comite()

PAR_CHEFFE = Agent.local("cheffe")
PAR_CLI = Agent.local("cli")
PAR_INSTRUCTRICE = Agent.local("instructrice")
PAR_PORTEUR = Agent.local("porteur")
PAR_PRESIDENTE = Agent.local("présidente")
PAR_SECRETARIAT = Agent.local("secretariat")
PAR_TEST = Agent.local("test")
QUAND = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)
PORTEUR_PIEGE = "SAS <script>alert('x')</script> & Cie"


_MINUTES = itertools.count()


def _horloge():
    # Each step a minute after the previous one, as in a real instruction: the signer is the last to act.
    return QUAND + timedelta(minutes=next(_MINUTES))


@pytest.fixture(scope="session")
def titres(guichet_python) -> dict[str, str]:
    return {r.id: r.titre for r in guichet_python.base.regles}


@pytest.fixture(scope="session")
def avis_vm(exemples, guichet_python, territoire, titres) -> dict:
    """LA-2025-003 : un constat écarté devenu « à revoir », un statut corrigé, un constat ajouté,
    une correction d'avis retirée puis une autre maintenue ; un montant indicatif et une pièce requise."""
    g, uow = guichet_python, FausseUnite()
    donnees = copy.deepcopy(exemples[2])
    donnees["porteur"]["nom"] = PORTEUR_PIEGE
    ref = donnees["reference"]
    s.deposer(uow, g, donnees, PAR_PORTEUR, horloge=_horloge)
    s.evaluer(uow, g, ref, PAR_INSTRUCTRICE, horloge=_horloge)
    s.changer_etat(uow, ref, "en_instruction", PAR_INSTRUCTRICE, "prise en charge", horloge=_horloge)
    s.corriger(uow, ref, "constat_ecarte", "region.axes.strategiques", "", "rattachement aux axes à discuter",
               PAR_INSTRUCTRICE, horloge=_horloge)
    s.corriger(uow, ref, "statut", "leader", "exclu", "hors stratégie du GAL", PAR_INSTRUCTRICE, horloge=_horloge)
    s.corriger(uow, ref, "avis", None, "favorable_sous_reserve", "attendre le diagnostic", PAR_INSTRUCTRICE,
               horloge=_horloge)
    s.revoir_correction(uow, ref, 3, False, PAR_CHEFFE, "diagnostic reçu", horloge=_horloge)
    s.corriger(uow, ref, "constat_ajoute", "leader", "Le GAL a confirmé ses critères par courriel.",
               "échange du 20 novembre", PAR_INSTRUCTRICE, horloge=_horloge)
    s.corriger(uow, ref, "avis", None, "a_reorienter", "orienter vers l'ADEME d'abord", PAR_CHEFFE, horloge=_horloge)
    complete = copy.deepcopy(donnees)
    complete["projet"]["thematiques"] = []  # the discarded finding disappears: its correction is « à revoir »
    assert s.modifier(uow, g, complete, PAR_PORTEUR) == []
    s.evaluer(uow, g, ref, PAR_INSTRUCTRICE, horloge=_horloge)
    s.changer_etat(uow, ref, "avis_rendu", PAR_INSTRUCTRICE, "avis rendu", horloge=_horloge)
    return avis_technique.construire(s.consulter(uow, ref, PAR_TEST), territoire, titres, QUAND)


def _doublon(dossier: dict) -> dict:
    """Le même projet sous une autre référence et un autre titre : une alerte du comité."""
    double = copy.deepcopy(dossier)
    double["reference"] = "LA-2025-903"
    double["projet"]["titre"] = "Cabanes perchées d'Olhain (deuxième dépôt)"
    return double


@pytest.fixture(scope="session")
def rapport_vm(exemples, guichet_python, territoire) -> dict:
    """Une réunion enregistrée : douze dossiers, un doublon, un avis corrigé et une décision."""
    g, uow = guichet_python, FausseUnite()
    comite = sc.creer_comite(uow, territoire, PAR_TEST, date(2025, 6, 12), "lys_artois")
    entrees = exemples[:12] + [_doublon(exemples[2])]
    resultat = sc.importer(uow, g, comite.code, entrees, PAR_SECRETARIAT, horloge=_horloge)
    assert resultat.erreurs == []
    sc.evaluer_comite(uow, g, CONTROLES, comite.code, PAR_SECRETARIAT, horloge=_horloge)
    s.corriger(uow, exemples[0]["reference"], "avis", None, "favorable_sous_reserve", "délibération attendue",
               PAR_INSTRUCTRICE, horloge=_horloge)
    sc.decider(uow, comite.code, exemples[1]["reference"], {"region_hdf": "favorable", "leader": "ajourne"},
               "accord du comité", PAR_PRESIDENTE, horloge=_horloge)
    return sc.rapport(uow, g, CONTROLES, comite.code, PAR_TEST, horloge=_horloge)


@pytest.fixture(scope="session")
def liste_vm(exemples, guichet_python, territoire) -> dict:
    """Le rapport d'une liste lue dans un fichier, avec une entrée invalide."""
    entrees = exemples[:6] + [{"reference": "LA-ERR-1", "budget": {"cout_total_ht": -1}}]
    return sc.evaluer_liste(guichet_python, CONTROLES, entrees, PAR_CLI, date(2025, 6, 12), horloge=_horloge)


def lisible(texte: str) -> str:
    """Le texte d'un document sans ses espaces insécables (la typographie française les y met) : les tests
    cherchent les mots, pas les espaces."""
    return texte.replace("\u00a0", " ").replace("\u202f", " ")


def _texte_pdf(chemin: Path) -> tuple[str, list]:
    from pypdf import PdfReader

    lecteur = PdfReader(chemin)
    return lisible("\n".join(page.extract_text() for page in lecteur.pages)), list(lecteur.pages)


@pytest.fixture(scope="session")
def avis_pdf(avis_vm, tmp_path_factory) -> tuple[str, list]:
    """(texte extrait, pages) du PDF de l'avis, rendu une fois pour toute la session."""
    from api.rendu import documents

    chemin = tmp_path_factory.mktemp("avis") / "avis.pdf"
    documents.ecrire(avis_vm, chemin, "avis")
    return _texte_pdf(chemin)


@pytest.fixture(scope="session")
def rapport_pdf(rapport_vm, tmp_path_factory) -> tuple[str, list]:
    from api.rendu import documents

    chemin = tmp_path_factory.mktemp("comite") / "comite.pdf"
    documents.ecrire(rapport_vm, chemin, "comite")
    return _texte_pdf(chemin)
