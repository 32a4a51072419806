"""pytester runs whole pytest sessions, to check what the shipped pytest plugin does to a project."""

pytest_plugins = ["pytester"]
