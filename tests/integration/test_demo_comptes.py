"""La démonstration crée un compte par rôle, au mot de passe documenté ; le porteur de démonstration possède les
dossiers qu'elle dépose ; recommencer ne duplique rien."""
from api import demo
from instruction.acces import Agent
from instruction.comptes import services
from instruction.comptes.mots_de_passe import HACHEUR
from instruction.storage import UniteDeTravailSql, creer_moteur, mettre_a_jour


def test_la_demonstration_cree_un_compte_par_role_une_seule_fois(tmp_path, guichet_python, controles):
    url = f"sqlite:///{tmp_path / 'guichet.sqlite'}"
    mettre_a_jour(url)
    moteur = creer_moteur(url)
    try:
        journal = demo.charger(UniteDeTravailSql(moteur), guichet_python, controles)
        assert any("4 comptes de démonstration" in ligne and "demo-guichet-2025" in ligne for ligne in journal)
        comptes = services.lister_comptes(UniteDeTravailSql(moteur), Agent.local("test"))
        assert {(c.email, c.role, c.comites) for c in comptes} == {
            ("porteur@demo.guichet.fr", "porteur", frozenset()),
            ("instructeur@demo.guichet.fr", "instructeur", frozenset()),
            ("membre@demo.guichet.fr", "membre_comite", frozenset({demo.COMITE})),
            ("admin@demo.guichet.fr", "admin", frozenset())}
        assert all(c.confirme and HACHEUR.verifier(c.hash_mot_de_passe, demo.MOT_DE_PASSE_DEMO)[0] for c in comptes)
        with UniteDeTravailSql(moteur) as uow:
            assert uow.dossiers.lister(proprietaire=demo.PORTEUR.id)  # the holder's account owns the demo dossiers
        demo.comptes_de_demonstration(UniteDeTravailSql(moteur))
        assert len(services.lister_comptes(UniteDeTravailSql(moteur), Agent.local("test"))) == 4
    finally:
        moteur.dispose()
