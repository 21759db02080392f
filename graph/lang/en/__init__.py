"""English: the resources entigraph was first written with."""
