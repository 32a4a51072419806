"""FastAPI dependencies shared by the routers."""

from typing import Annotated

from fastapi import Depends, Request

from codeflash_engine.http.resources import AppResources
from codeflash_engine.plugins import PluginHost


def get_resources(request: Request) -> AppResources:
    resources: AppResources = request.app.state.resources
    return resources


def get_plugins(resources: Annotated[AppResources, Depends(get_resources)]) -> PluginHost:
    return resources.plugins


Resources = Annotated[AppResources, Depends(get_resources)]
Plugins = Annotated[PluginHost, Depends(get_plugins)]
