from kaifaqu.core.registry import ModuleConfig


class PortalConfig(ModuleConfig):
    """The public site (政务公开) under /gongkai/: no login, published data only."""

    name = "kaifaqu.portal"
    label = "gongkai"  # the public site is mounted under its label: /gongkai/
    verbose_name = "政务公开"

    api_views = (
        ("public/powers/", "kaifaqu.portal.api.PublicPowersView", "api-public-powers"),
        ("public/catalogues/", "kaifaqu.portal.api.PublicCataloguesView", "api-public-catalogues"),
    )
    pages = (("gongkai", "kaifaqu.portal.urls"),)
    cli_help = ()
