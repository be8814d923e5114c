"""Stories (C5): group articles about one event, online with stable ids or as a batch.

`cluster_articles(articles)` is the batch stage function; `OnlineClusterer` assigns articles
one at a time for the store and streams. Both use the similarity in `stories.similarity`.
"""

from newsprism.stories.batch import cluster_articles, cluster_stories
from newsprism.stories.config import ClusterConfig
from newsprism.stories.online import OnlineClusterer

__all__ = ["ClusterConfig", "OnlineClusterer", "cluster_articles", "cluster_stories"]
