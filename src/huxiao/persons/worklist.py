"""Key-person reviews in “我的待办” (huxiao.core.worklist)."""
