"""Exercise figures: a small 3D skeleton per exercise, its named poses, and drawing it.

`model` and `load` (the file format and its validation) import no numpy, so
`breathpace check` stays light; `skeleton` and `motion` are plain arithmetic; only
`render` needs numpy.
"""
