"""Reference data: organizations, the majors they offer, directions and cohorts."""
