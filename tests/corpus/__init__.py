"""The extraction corpus (real articles with hand-made gold); see README.md."""
