from challenges.sitemaps import SolutionSitemap
from groups.sitemaps import GroupSitemap

sitemaps = {"groups": GroupSitemap, "solutions": SolutionSitemap}
