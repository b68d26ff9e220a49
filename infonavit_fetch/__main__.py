from infonavit_fetch.start import run

run()
