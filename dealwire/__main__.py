from dealwire.cli import app

app()
