"""Outlet identity: wire agencies named in datelines, and the names of known news domains.

Used by `newsprism.clean` (an article's outlet when its input names none: the page's
og:site_name / JSON-LD publisher first, then a dateline agency, then this domain table, then
the bare host) and by `newsprism.dedup.origins` (articles carrying one agency's dateline are
that agency's copy: one independent source). General news vocabulary, no data set's names.
"""

from __future__ import annotations

# Agency as written in a dateline (lower-cased) -> the name a reader knows.
WIRE_AGENCIES: dict[str, str] = {
    "reuters": "Reuters",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "dpa": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "xinhua": "Xinhua",
    "tass": "TASS",
    "interfax": "Interfax",
    "upi": "UPI",
    "bloomberg": "Bloomberg",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "pa": "PA Media",
    "aap": "AAP",
    "cp": "The Canadian Press",
    "the canadian press": "The Canadian Press",
    "anadolu": "Anadolu",
    "pti": "PTI",
}

# Registered domain -> outlet name, for pages whose metadata names no site. Subdomains fold
# into their domain (edition.cnn.com -> cnn.com).
NEWS_DOMAINS: dict[str, str] = {
    "reuters.com": "Reuters",
    "apnews.com": "AP",
    "afp.com": "AFP",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal",
    "theguardian.com": "The Guardian",
    "ft.com": "Financial Times",
    "economist.com": "The Economist",
    "bloomberg.com": "Bloomberg",
    "cnn.com": "CNN",
    "foxnews.com": "Fox News",
    "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News",
    "abcnews.go.com": "ABC News",
    "npr.org": "NPR",
    "usatoday.com": "USA Today",
    "latimes.com": "Los Angeles Times",
    "chicagotribune.com": "Chicago Tribune",
    "nypost.com": "New York Post",
    "politico.com": "Politico",
    "politico.eu": "Politico Europe",
    "thehill.com": "The Hill",
    "axios.com": "Axios",
    "cnbc.com": "CNBC",
    "forbes.com": "Forbes",
    "businessinsider.com": "Business Insider",
    "time.com": "Time",
    "newsweek.com": "Newsweek",
    "theatlantic.com": "The Atlantic",
    "huffpost.com": "HuffPost",
    "news.yahoo.com": "Yahoo News",
    "independent.co.uk": "The Independent",
    "telegraph.co.uk": "The Telegraph",
    "thetimes.co.uk": "The Times",
    "dailymail.co.uk": "Daily Mail",
    "sky.com": "Sky News",
    "aljazeera.com": "Al Jazeera",
    "france24.com": "France 24",
    "dw.com": "DW",
    "euronews.com": "Euronews",
    "rferl.org": "RFE/RL",
    "themoscowtimes.com": "The Moscow Times",
    "tass.com": "TASS",
    "scmp.com": "South China Morning Post",
    "abc.net.au": "ABC Australia",
    "smh.com.au": "The Sydney Morning Herald",
    "cbc.ca": "CBC",
    "theglobeandmail.com": "The Globe and Mail",
    "lemonde.fr": "Le Monde",
    "spiegel.de": "Der Spiegel",
    "elpais.com": "El País",
}
