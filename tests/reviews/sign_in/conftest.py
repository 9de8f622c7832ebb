# The provider's fixtures live beside it, so other folders' tests can use them too.
from tests.reviews.sign_in.provider import provider, provider_process  # noqa: F401
