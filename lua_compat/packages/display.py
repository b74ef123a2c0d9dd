"""require 'display' (szym/display's client): its Lua side writes each window into the folder
image.display uses."""
from pytorch_lite.image.display import display_dir


def bridge(runtime):
    return dict(dir=display_dir)
