"""La base de règles : fichiers YAML lisibles, chargeur strict, évaluateurs compilés.

N'importe ni web ni base de données ; durable-rules ne vit que dans `rules.moteur_durable`.
"""
