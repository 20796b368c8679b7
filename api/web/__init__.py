"""L'application web : pages HTML (gabarits de `templates/pages/`) et API JSON (`api.v1`), servies par `guichet serve`.

    from api.web.app import creer_app
    app = creer_app(contexte)   # contexte : .guichet, .territoire, .unite_de_travail()
"""
