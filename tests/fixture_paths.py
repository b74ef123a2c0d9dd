"""Where the shared fixtures live: ../shared/fixtures beside the repository (CI lays it there)."""
import os

SHARED = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "fixtures"))
TORCH7 = os.path.join(SHARED, "torch7")
PUBLIC = os.path.join(SHARED, "public")
