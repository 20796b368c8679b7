"""Les comités gardent membres et ordre du jour dans l'ordre ; les règles employées sont conservées une fois."""
import threading
import time
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import event, func, select

from instruction.comite.reunion import Comite, Membre
from instruction.dossiers import services
from instruction.erreurs import ComiteExistant, Refus
from instruction.storage import ErreurStockage, UniteDeTravailSql, creer_moteur
from instruction.storage.tables import jeux_regles, ordre_du_jour
from tests.integration.conftest import dossier_depose

CONTROLES = [{"controle": "double_financement", "dossiers": ["D-2", "D-3"], "message": "même porteur, même projet"}]


def _comite(code="lys-2025-03", ordre=("D-3", "D-1", "D-2")):
    return Comite(code=code, date=date(2025, 3, 20), contrat="lys_artois",
                  membres=[Membre("Région Hauts-de-France", "Mme A."), Membre("Département du Pas-de-Calais"),
                           Membre("GAL Lys Romane", "M. B.")],
                  ordre_du_jour=list(ordre), controles=list(CONTROLES),
                  evalue_le=datetime(2025, 3, 18, 8, 0, tzinfo=timezone.utc), version_regles="sha256:abc/2025")


@pytest.fixture
def trois_dossiers(uow):
    with uow:
        for reference in ("D-1", "D-2", "D-3"):
            uow.dossiers.ajouter(dossier_depose(reference))
        uow.valider()


def test_un_comite_fait_l_aller_retour_avec_ses_membres_et_son_ordre_du_jour(uow, trois_dossiers):
    comite = _comite()
    with uow:
        uow.comites.ajouter(comite)
        uow.valider()
    with uow:
        relu = uow.comites.obtenir("lys-2025-03")
        assert uow.comites.obtenir("inconnu") is None
    assert relu == comite
    assert relu.ordre_du_jour == ["D-3", "D-1", "D-2"]
    assert [m.structure for m in relu.membres][0] == "Région Hauts-de-France"


def test_un_comite_modifie_garde_son_nouvel_ordre_du_jour(uow, moteur, trois_dossiers):
    with uow:
        uow.comites.ajouter(_comite())
        uow.valider()
    with uow:
        comite = uow.comites.obtenir("lys-2025-03")
        comite.retirer("D-1")
        comite.inscrire("D-1")
        comite.membres.append(Membre("ADEME", "expert"))
        comite.controles, comite.evalue_le = [], None
        uow.comites.enregistrer(comite)
        uow.valider()
    with uow:
        relu = uow.comites.obtenir("lys-2025-03")
    assert relu == comite
    assert relu.ordre_du_jour == ["D-3", "D-2", "D-1"]
    assert relu.membres[-1] == Membre("ADEME", "expert")
    with moteur.connect() as connexion:
        assert connexion.execute(select(func.count()).select_from(ordre_du_jour)).scalar_one() == 3


def test_lister_les_comites_les_rend_tous_en_trois_requetes(uow, moteur, trois_dossiers):
    with uow:
        uow.comites.ajouter(_comite("b-avril", ("D-2",)))
        uow.comites.ajouter(_comite("a-mars", ()))
        uow.comites.ajouter(_comite("c-mai", ("D-1", "D-3")))
        uow.valider()
    requetes = []
    event.listen(moteur, "before_cursor_execute", lambda *args: requetes.append(args[2]))
    with uow:
        comites = uow.comites.lister()
    assert [(c.code, c.ordre_du_jour) for c in comites] == [("a-mars", []), ("b-avril", ["D-2"]),
                                                            ("c-mai", ["D-1", "D-3"])]
    assert all(len(c.membres) == 3 for c in comites)
    assert len([r for r in requetes if r.lstrip().upper().startswith("SELECT")]) == 3


def test_un_dossier_inconnu_a_l_ordre_du_jour_est_refuse_en_le_nommant(uow, trois_dossiers):
    with pytest.raises(Refus, match="dossier inconnu") as erreur:
        with uow:
            uow.comites.ajouter(_comite(ordre=("D-1", "D-404")))
            uow.valider()
    assert erreur.value.reference == "D-404"
    with uow:
        assert uow.comites.lister() == []


def test_un_code_de_comite_en_double_donne_l_erreur_du_domaine(uow, trois_dossiers):
    with uow:
        uow.comites.ajouter(_comite())
        uow.valider()
    with pytest.raises(ComiteExistant, match="déjà le code « lys-2025-03 »") as erreur:
        with uow:
            uow.comites.ajouter(_comite())  # straight to the INSERT: the unique constraint answers
    assert erreur.value.champ == "code"


def test_enregistrer_un_comite_jamais_ajoute_est_refuse(uow):
    with pytest.raises(ErreurStockage, match="ajoutez-le d'abord"):
        with uow:
            uow.comites.enregistrer(_comite(ordre=()))


def test_les_fichiers_de_regles_sont_conserves_une_fois_et_relus(uow, moteur, base):
    requetes = []
    with uow:
        services.conserver_regles(uow, base)
        uow.valider()
    event.listen(moteur, "before_cursor_execute", lambda *args: requetes.append(args[2]))
    with uow:
        services.conserver_regles(uow, base)  # known to be stored: not even a query
        uow.valider()
    assert [r for r in requetes if "jeux_regles" in r] == []
    with uow:
        assert uow.regles.obtenir(base.empreinte) == base.textes
        assert uow.regles.obtenir("inconnue") is None
    relue = services.base_de_version(uow, f"sha256:{base.empreinte}/2025@2025-03-10")
    assert relue.empreinte == base.empreinte


def test_deux_transactions_qui_conservent_ensemble_les_memes_regles_ne_se_font_pas_echouer(url_base):
    """Deux processus (deux moteurs) : le second ne voit pas encore l'écriture du premier, et l'attend."""
    moteurs = [creer_moteur(url_base) for _ in range(2)]
    erreurs = []

    def seconde():
        try:
            with UniteDeTravailSql(moteurs[1]) as uow:
                uow.regles.conserver("e1", {"a.yaml": "autre texte"})
                uow.valider()
        except Exception as erreur:  # reported by the assertion below
            erreurs.append(erreur)

    try:
        with UniteDeTravailSql(moteurs[0]) as premiere:
            premiere.regles.conserver("e1", {"a.yaml": "x: 1"})
            fil = threading.Thread(target=seconde)
            fil.start()
            time.sleep(0.3)
            premiere.valider()
        fil.join(timeout=60)
        assert erreurs == []
        with moteurs[0].connect() as connexion:
            assert connexion.execute(select(jeux_regles.c.fichiers)).scalars().all() == [{"a.yaml": "x: 1"}]
    finally:
        for moteur in moteurs:
            moteur.dispose()
