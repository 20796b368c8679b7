"""Le bureau des services en base, sur SQLite et PostgreSQL : la requête de la liste rend ce que rend le même
filtre en Python (faux dépôt), les colonnes de résumé suivent chaque enregistrement (et se recalculent pour une
base d'avant la migration), le chargement léger n'écrit ni ne perd rien, le lot groupé écrit comme un par un,
et les travaux par lots se lisent d'un processus à l'autre."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select, update

from forms.valeurs import FINANCEURS
from instruction import travaux
from instruction.acces import Agent
from instruction.dossiers import lots, recherche, services
from instruction.dossiers.recherche import Criteres, Filtre
from instruction.storage.entrepot_dossiers import remplir_resumes
from instruction.storage.tables import dossiers
from instruction.travaux import Issue
from tests.unit.faux_recherche import lignes_du_filtre

SERVICES = Agent.local("services")
INSTRUCTEUR = Agent("claire", "instructeur")


@pytest.fixture
def garni(uow, guichet_python, exemples):
    """Les 37 exemples ; 20 évalués ; une correction de statut sur le premier ; le 21e classé sans suite."""
    for donnees in exemples:
        assert services.deposer(uow, guichet_python, donnees, SERVICES) == []
    references = [d["reference"] for d in exemples]
    assert all(i.reussi for i in lots.evaluer_lot(uow, guichet_python, references[:20], SERVICES))
    services.corriger(uow, references[0], "statut", "leader", "exclu", "hors stratégie du GAL", SERVICES)
    services.changer_etat(uow, references[20], "classe_sans_suite", SERVICES, "retrait")
    return references


def _tous(uow, references):
    with uow:
        return [uow.dossiers.obtenir(r) for r in references]


FILTRES = [
    Filtre(), Filtre(etat="depose"), Filtre(avis="a_reorienter"), Filtre(avis="favorable"),
    Filtre(statuts=(("leader", "exclu"),)), Filtre(statuts=(("region_hdf", "eligible"), ("departement_62", "exclu"))),
    Filtre(texte="commune"), Filtre(texte="LA-2025-00"), Filtre(texte="50%_\\"),
    Filtre(depose_du=date(2025, 4, 1), depose_au=date(2025, 9, 30)),
    Filtre(tri="reference", sens="croissant"), Filtre(tri="avis", sens="croissant"), Filtre(tri="avis"),
    Filtre(tri="etat"), Filtre(tri="a_revoir"), Filtre(tri="depot", sens="croissant"),
]


@pytest.mark.parametrize("filtre", FILTRES, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.parametres()) or "tout")
def test_la_requete_de_la_liste_rend_ce_que_rend_le_filtre_en_python(uow, garni, territoire, filtre):
    attendues = lignes_du_filtre(_tous(uow, garni), Criteres(filtre, None))
    with uow:
        lignes, total = uow.dossiers.rechercher(Criteres(filtre, None), paginer=False)
    assert [x.reference for x in lignes] == [x.reference for x in attendues]
    assert lignes == attendues and total == len(attendues)


def test_les_communes_d_un_epci_filtrent_la_liste(uow, garni, territoire):
    criteres = recherche.criteres(Filtre(epci="200072460"), territoire)
    with uow:
        lignes, _ = uow.dossiers.rechercher(criteres, paginer=False)
    assert lignes and all(territoire.commune(x.commune_insee).epci == "200072460" for x in lignes)
    assert [x.reference for x in lignes] == [x.reference for x in lignes_du_filtre(_tous(uow, garni), criteres)]


def test_une_page_et_le_total_de_la_liste(uow, garni):
    filtre = Filtre(tri="reference", sens="croissant", par_page=10, page=2)
    with uow:
        lignes, total = uow.dossiers.rechercher(Criteres(filtre, None))
        refs, compte = uow.dossiers.references(Criteres(filtre, None), 5)
    assert [x.reference for x in lignes] == sorted(garni)[10:20] and total == len(garni)
    assert refs == sorted(garni)[:5] and compte == len(garni)


def test_les_colonnes_de_resume_suivent_la_correction_et_le_changement_d_etat(uow, garni):
    with uow:
        (premier,), _ = uow.dossiers.rechercher(Criteres(Filtre(texte=garni[0]), None))
        (classe,), _ = uow.dossiers.rechercher(Criteres(Filtre(texte=garni[20]), None))
    assert premier.statuts["leader"] == "exclu" and set(premier.statuts) == set(FINANCEURS)
    assert premier.evaluations == 1 and classe.etat == "classe_sans_suite" and classe.avis is None


def test_une_base_d_avant_la_migration_retrouve_ses_resumes(uow, moteur, garni):
    with uow:
        avant, _ = uow.dossiers.rechercher(Criteres(Filtre(), None), paginer=False)
    with moteur.begin() as connexion:
        connexion.execute(update(dossiers).values(avis_retenu=None, statuts_retenus=None, corrections_a_revoir=None,
                                                  nombre_evaluations=None, texte_recherche=None))
        assert remplir_resumes(connexion, paquet=7) == len(garni)
        assert remplir_resumes(connexion) == 0
    with uow:
        apres, _ = uow.dossiers.rechercher(Criteres(Filtre(), None), paginer=False)
    assert apres == avant


def test_le_chargement_leger_ne_lit_que_la_derniere_evaluation_et_numerote_la_suivante(uow, guichet_python, garni):
    reference = garni[1]
    services.evaluer(uow, guichet_python, reference, SERVICES)
    services.evaluer(uow, guichet_python, reference, SERVICES)  # light load: the 3rd after two in the database
    with uow:
        leger = uow.dossiers.obtenir(reference, complet=False)
        complet = uow.dossiers.obtenir(reference)
    assert [e.numero for e in leger.evaluations] == [3] and leger.evaluations_anterieures == 2
    assert [e.numero for e in complet.evaluations] == [1, 2, 3] and complet.evaluations_anterieures == 0
    assert complet.evaluations[-1] == leger.evaluations[0] and complet.transitions == leger.transitions


def test_un_lot_groupe_ecrit_comme_un_dossier_a_la_fois(uow, guichet_python, garni):
    lot = garni[:6]
    lots.evaluer_lot(uow, guichet_python, lot, SERVICES)
    with uow:
        groupes = uow.dossiers.obtenir_plusieurs(lot, complet=True)
    for reference in lot:
        services.evaluer(uow, guichet_python, reference, SERVICES)
    with uow:
        apres = {r: uow.dossiers.obtenir(r) for r in lot}
    for reference in lot:
        assert [e.numero for e in apres[reference].evaluations] == [1, 2, 3]
        assert apres[reference].evaluations[:2] == groupes[reference].evaluations
        assert apres[reference].corrections[:1] == groupes[reference].corrections[:1]


def test_un_travail_se_lit_avec_ses_elements_et_s_interrompt(uow, moteur):
    instant = datetime(2025, 6, 2, 9, 0, tzinfo=timezone.utc)
    travail = travaux.creer(uow, INSTRUCTEUR, "evaluer", "Évaluation de 3 dossiers", ["A", "B", "C"], "hote:42",
                            {"retour": "/instruction/dossiers?etat=depose"}, lambda: instant)
    travaux.noter(uow, travail.id, [(1, Issue("A", True, "fait")), (2, Issue("B", False, "clos"))], lambda: instant)
    travaux.noter(uow, travail.id, [(2, Issue("B", True))], lambda: instant)  # the first outcome stands
    lu = travaux.consulter(uow, INSTRUCTEUR, travail.id, lambda: instant)
    assert (lu.faits, lu.echecs, lu.total, lu.etat) == (2, 1, 3, "en_cours")
    assert [(e.element, e.etat, e.message) for e in lu.elements] == [
        ("A", "reussi", "fait"), ("B", "echoue", "clos"), ("C", "en_attente", "")]
    assert lu.parametres == {"retour": "/instruction/dossiers?etat=depose"} and lu.cree_le == instant
    assert travaux.interrompre(uow, lambda: instant, lambda p: p == "hote:42") == 1
    assert travaux.consulter(uow, INSTRUCTEUR, travail.id, lambda: instant).etat == "interrompu"
    bloc = travaux.creer(uow, INSTRUCTEUR, "importer", "Import", [], "hote:43", horloge=lambda: instant)
    travaux.avancer(uow, bloc.id, 5, 10, lambda: instant)
    assert travaux.consulter(uow, INSTRUCTEUR, bloc.id, lambda: instant).pourcentage == 50
    travaux.completer(uow, bloc.id, [Issue("ligne 1", True), Issue("ligne 2", False, "SIRET invalide")],
                      lambda: instant)
    fini = travaux.consulter(uow, INSTRUCTEUR, bloc.id, lambda: instant)
    assert (fini.total, fini.faits, fini.echecs) == (2, 2, 1)
    assert [t.id for t in travaux.lister(uow, INSTRUCTEUR, horloge=lambda: instant)] == [bloc.id, travail.id]
    with moteur.connect() as connexion:
        assert connexion.execute(select(dossiers.c.id)).all() == []


@pytest.mark.parametrize("etat, avis, commune", [
    (None, None, None), ("depose", None, None), (None, "a_reorienter", None), ("en_instruction", "favorable", None),
    (None, None, "62119"), ("classe_sans_suite", None, None)])
@pytest.mark.parametrize("limite, decalage", [(5, 0), (5, 10), (50, 0), (10, 40)])
def test_la_page_de_l_api_en_base_est_la_tranche_de_la_liste_complete(uow, guichet_python, garni, etat, avis, commune,
                                                                       limite, decalage):
    # A second evaluation of some dossiers: the page must read the last one (by the summary count), not the first.
    assert all(i.reussi for i in lots.evaluer_lot(uow, guichet_python, garni[:5], SERVICES))
    with uow:
        attendus = [r for r in uow.dossiers.lister(etat) if avis in (None, r.dernier_avis)
                    and commune in (None, r.commune_insee)]
        page, total = uow.dossiers.page(etat, avis, commune, limite, decalage)
        tous, _ = uow.dossiers.page(None, None, None, 50, 0)
    assert page == attendus[decalage:decalage + limite] and total == len(attendus)
    assert any(r.evaluations == 2 for r in tous)
