"""La base de règles : fichiers YAML lisibles, chargeur strict, évaluateurs compilés.

N'importe ni web ni base de données. durable-rules ne vit que dans `rules.durable`, et seul
`rules/durable/session.py` importe son moteur C.
"""
