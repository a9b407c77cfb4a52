"""Vectors: clause texts -> unit-length float32 embeddings, and the FAISS helpers over them.

`encoder.py` is the contract every encoder meets and the content-hash cache in front of it;
`sentence.py` is the sentence-transformers model (the classifier's close reading);
`static.py` is the static first-pass encoder distilled from it (every clause, search);
`faiss_index.py` is exact and IVF search.
"""
