"""Les dépôts des comptes, des jetons, des sessions, des tentatives et du journal, sur SQLite et PostgreSQL."""
from datetime import datetime, timedelta, timezone

import pytest

from instruction.acces import Agent
from instruction.comptes import connexion, services, services_jetons, sessions
from instruction.comptes.audit import EvenementAudit
from instruction.comptes.compte import Compte
from instruction.comptes.erreurs import CompteExistant
from instruction.comptes.jetons import JetonApi
from instruction.comptes.mots_de_passe import Hacheur
from instruction.storage import UniteDeTravailSql
from tests.integration.conftest import DEBUT

HACHEUR = Hacheur.rapide()
MDP = "correct-horse-battery"


def compte(email="claire@exemple.fr", **options) -> Compte:
    options.setdefault("confirme_le", DEBUT)
    return Compte(email, options.pop("role", "porteur"), options.pop("nom", "Claire"), "$argon2id$faux", DEBUT,
                  **options)


def test_un_compte_et_ses_comites_sont_relus_tels_quels(uow):
    with uow:
        uow.comptes.ajouter(compte("marc@pdc.fr", role="membre_comite", comites=frozenset({"c-1", "c-2"})))
        uow.comptes.ajouter(compte("claire@exemple.fr", confirmation="abc", confirme_le=None))
        uow.valider()
    with uow:
        marc = uow.comptes.obtenir("marc@pdc.fr")
        assert marc == compte("marc@pdc.fr", role="membre_comite", comites=frozenset({"c-1", "c-2"}))
        assert marc.cree_le.tzinfo is not None and marc.cree_le == DEBUT
        assert uow.comptes.par_confirmation("abc").email == "claire@exemple.fr"
        assert [c.email for c in uow.comptes.lister()] == ["claire@exemple.fr", "marc@pdc.fr"]
        uow.comptes.enregistrer(marc.avec(role="instructeur", comites=frozenset(), actif=False))
        uow.valider()
    with uow:
        assert uow.comptes.obtenir("marc@pdc.fr") == compte("marc@pdc.fr", role="instructeur", actif=False)
        assert uow.comptes.obtenir("personne@exemple.fr") is None


def test_une_adresse_deja_prise_est_refusee_par_la_base(uow):
    with uow:
        uow.comptes.ajouter(compte())
        uow.valider()
    with pytest.raises(CompteExistant), uow:
        uow.comptes.ajouter(compte())


def test_un_jeton_est_relu_avec_son_compte_et_sa_revocation(uow):
    jeton = JetonApi("1a2b3c4d", "e" * 64, "Tableau", "porteur", "admin", DEBUT, compte="claire@exemple.fr")
    with uow:
        uow.comptes.ajouter(compte())
        uow.jetons.ajouter(jeton)
        uow.jetons.ajouter(JetonApi("5e6f7a8b", "f" * 64, "", "admin", "admin", DEBUT + timedelta(minutes=1)))
        uow.valider()
    with uow:
        assert uow.jetons.obtenir("1a2b3c4d") == jeton
        assert uow.jetons.par_empreinte("f" * 64).prefixe == "5e6f7a8b"
        assert [j.prefixe for j in uow.jetons.lister()] == ["5e6f7a8b", "1a2b3c4d"]
        uow.jetons.enregistrer(jeton.avec(revoque_le=DEBUT, utilise_le=DEBUT))
        uow.valider()
    with uow:
        assert uow.jetons.obtenir("1a2b3c4d") == jeton.avec(revoque_le=DEBUT, utilise_le=DEBUT)


def test_les_sessions_s_ouvrent_se_rafraichissent_se_ferment_et_se_purgent(uow):
    with uow:
        uow.comptes.ajouter(compte())
        _, ici = sessions.nouvelle("claire@exemple.fr", DEBUT, "203.0.113.7")
        _, ailleurs = sessions.nouvelle("claire@exemple.fr", DEBUT)
        _, anonyme = sessions.nouvelle(None, DEBUT - timedelta(hours=3))
        for session in (ici, ailleurs, anonyme):
            uow.sessions.ajouter(session)
        uow.valider()
    with uow:
        assert uow.sessions.obtenir(ici.empreinte) == ici
        uow.sessions.enregistrer(ici.avec(vu_le=DEBUT + timedelta(minutes=5)))
        uow.sessions.purger(DEBUT)  # the anonymous one expired an hour ago
        uow.sessions.supprimer_du_compte("claire@exemple.fr", sauf=ici.empreinte)
        uow.valider()
    with uow:
        assert uow.sessions.obtenir(ici.empreinte).vu_le == DEBUT + timedelta(minutes=5)
        assert uow.sessions.obtenir(ailleurs.empreinte) is None and uow.sessions.obtenir(anonyme.empreinte) is None
        uow.sessions.supprimer(ici.empreinte)
        uow.valider()
    with uow:
        assert uow.sessions.obtenir(ici.empreinte) is None


def test_les_echecs_de_connexion_se_comptent_par_cle_et_se_purgent(uow):
    with uow:
        for minutes in (0, 1, 2):
            uow.tentatives.ajouter_echec("compte:a@b.fr", DEBUT + timedelta(minutes=minutes))
        uow.tentatives.ajouter_echec("adresse:::1", DEBUT)
        uow.valider()
    with uow:
        assert uow.tentatives.echecs("compte:a@b.fr", DEBUT + timedelta(minutes=1)) == [
            DEBUT + timedelta(minutes=1), DEBUT + timedelta(minutes=2)]
        uow.tentatives.purger(DEBUT + timedelta(minutes=2))
        uow.tentatives.effacer("adresse:::1")
        uow.valider()
    with uow:
        assert uow.tentatives.echecs("compte:a@b.fr", DEBUT) == [DEBUT + timedelta(minutes=2)]
        assert uow.tentatives.echecs("adresse:::1", DEBUT) == []


def test_le_journal_rend_les_derniers_evenements_d_abord(uow):
    with uow:
        for i, genre in enumerate(("connexion", "changement_role", "deconnexion")):
            uow.audit.ajouter(EvenementAudit(genre, DEBUT + timedelta(minutes=i), "claire@exemple.fr", "::1",
                                             "claire@exemple.fr", f"détail {i}"))
        uow.valider()
    with uow:
        derniers = uow.audit.derniers(2)
    assert [e.genre for e in derniers] == ["deconnexion", "changement_role"]
    assert derniers[1] == EvenementAudit("changement_role", DEBUT + timedelta(minutes=1), "claire@exemple.fr", "::1",
                                         "claire@exemple.fr", "détail 1")


def test_les_cas_d_usage_tournent_sur_la_vraie_base(moteur):
    """De la création à la déconnexion, en passant par le blocage : les compteurs sont bien en base."""
    uow = UniteDeTravailSql(moteur)
    instant = [datetime(2025, 6, 1, 10, tzinfo=timezone.utc)]

    def horloge():
        return instant[0]

    admin = Agent.local("admin")
    assert services.creer_compte(uow, admin, "claire@exemple.fr", "instructeur", MDP, horloge=horloge,
                                 hacheur=HACHEUR) == []
    for _ in range(5):
        resultat = connexion.connecter(UniteDeTravailSql(moteur), "claire@exemple.fr", "faux-mot-de-passe", "::1",
                                       horloge=horloge, hacheur=HACHEUR)
    assert resultat.refus == "bloque"
    instant[0] += timedelta(minutes=15)
    resultat = connexion.connecter(uow, "claire@exemple.fr", MDP, "::1", horloge=horloge, hacheur=HACHEUR)
    assert resultat.refus is None
    assert connexion.session_courante(uow, resultat.secret, horloge).compte.email == "claire@exemple.fr"
    _, jeton, secret = services_jetons.creer_jeton(uow, admin, "instructeur", compte="claire@exemple.fr",
                                                  horloge=horloge)
    assert services_jetons.agent_du_jeton(uow, secret, horloge).id == "claire@exemple.fr"
    services_jetons.revoquer_jeton(uow, admin, jeton.prefixe, horloge=horloge)
    assert services_jetons.agent_du_jeton(uow, secret, horloge) is None
    connexion.deconnecter(uow, resultat.secret, "::1", horloge)
    assert connexion.session_courante(uow, resultat.secret, horloge) is None
    genres = [e.genre for e in services.journal(uow, admin)]
    assert genres[:4] == ["deconnexion", "revocation_jeton", "creation_jeton", "connexion"]
    assert genres.count("echec_connexion") == 5
