"""The generated sample data set (示例数据) and the ``talentbridge demo`` build."""
