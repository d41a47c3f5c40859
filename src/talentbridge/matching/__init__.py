"""Person–job matching (人岗匹配): student profiles, résumés and rankings."""
