"""The practice journal: what was played, how it felt, and what to change next.

Sessions, per-exercise progress, check-ins and next-day follow-ups live in one SQLite
file in the person's data folder (`db`). `recorder` writes a session as it is played,
`suggest` turns the person's own data into one small change at a time, `dose` keeps the
accepted changes as personal overrides, and `history` / `export` show it all back.
"""
