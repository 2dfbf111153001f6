"""Reading a setting without a Python call (issue 15, twelfth round).

``django.conf.settings`` is a ``LazySettings``, a ``LazyObject`` whose
``__getattribute__`` is Python code run on every attribute read: about 3,400
instructions for ``settings.DEBUG``, and a sign-up read settings about 110
times (``bench/signup_instructions.py``). ``LazySettings.__getattr__`` keeps
each setting it finds in the object's own ``__dict__``, and clears that when
the settings are replaced (``override_settings``, ``configure``); the
``__getattribute__`` of ``LazyObject`` exists to hide its proxy methods
(``__str__``, ``__len__`` …, each marked ``_mask_wrapped``) from attribute
reads, which no setting's name is (read as an attribute, such a proxy now
answers the same as the settings' own method). ``install()`` gives the one
settings object a subclass that reads attributes as any object does: a setting
already read is found in ``__dict__`` without a Python call, anything else goes
to ``LazySettings.__getattr__`` exactly as before.
"""

from django.conf import LazySettings, settings


class KeptSettings(LazySettings):
    __getattribute__ = object.__getattribute__


def install() -> None:
    if type(settings) is LazySettings:
        # Not ``settings.__class__ = …``: LazyObject's ``__class__`` is a
        # property that names the wrapped settings' class; object's own slot.
        object.__dict__["__class__"].__set__(settings, KeptSettings)
