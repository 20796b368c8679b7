"""L'environnement Alembic du guichet, configuré dans le code (`instruction.storage.migration`), sans alembic.ini.

`mettre_a_jour` passe sa connexion, déjà dans une transaction, par `config.attributes["connection"]` :
toute la migration se fait dans cette transaction, ou pas du tout.
"""
from alembic import context

from instruction.storage.connexion import creer_moteur, url_par_defaut
from instruction.storage.migration import rendre_pour_alembic
from instruction.storage.tables import metadata


def _migrer(connexion) -> None:
    context.configure(
        connection=connexion, target_metadata=metadata, compare_type=True, render_item=rendre_pour_alembic,
        # SQLite cannot ALTER most things: later migrations rebuild tables in batch mode instead.
        render_as_batch=connexion.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def _executer() -> None:
    config = context.config
    if context.is_offline_mode():  # SQL script for an administrator: `upgrade --sql`
        context.configure(url=config.get_main_option("sqlalchemy.url") or url_par_defaut(),
                          target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connexion = config.attributes.get("connection")
    if connexion is not None:
        _migrer(connexion)
        return
    moteur = creer_moteur(config.get_main_option("sqlalchemy.url") or url_par_defaut())
    try:
        with moteur.begin() as connexion:
            _migrer(connexion)
    finally:
        moteur.dispose()


_executer()
