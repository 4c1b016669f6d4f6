from challenges.sitemaps import SolutionSitemap
from groups.sitemaps import GroupSitemap


class InEveryLanguage:
    """Each page once per language (English and /cy/), each entry naming the others (hreflang), with the
    English address as the default for other languages."""

    i18n = True
    alternates = True
    x_default = True


class Groups(InEveryLanguage, GroupSitemap):
    pass


class Solutions(InEveryLanguage, SolutionSitemap):
    pass


sitemaps = {"groups": Groups, "solutions": Solutions}
