"""newsprism.render"""
