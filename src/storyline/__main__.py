from storyline.cli import app

app(prog_name="storyline")
