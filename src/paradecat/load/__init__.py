"""Load: find the catalogue's files and read each as strict YAML, with a position for every node.

Takes the folder that holds catalog/. Gives, per file, a LoadResult: the Document (its data and
the file:line:column of every key and value) or the Problems found in its text (encoding,
syntax, duplicate keys, tags, anchors, depth, size), never an exception.

- yamlcore.py: the YAML 1.2 core schema on libyaml, and the limits
- yamlproblems.py: what is wrong in the text, as located problems
- document.py: Document, and the Builder that records positions
- walk.py: the walk of catalog/, with each file's lstat (standard library only)
- files.py: finding the entry files, reading one file or one text
- reading.py: reading many files, in two processes for a large catalogue
"""
