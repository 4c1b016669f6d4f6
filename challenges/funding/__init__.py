"""Funder challenges: funders open challenges, groups enter solutions, funders review and see the impact.

`services` writes, `selectors` reads, `permissions` says who may do what (views and templates ask it),
`forms` and `filters` parse input, `exports` streams CSV, `dashboard` computes the collective impact.
"""
