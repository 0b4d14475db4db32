from crmconf.cli import script

script()
