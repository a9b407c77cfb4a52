"""The clause taxonomy ships as data files beside this marker; see taxonomy.yaml."""
